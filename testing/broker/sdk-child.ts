import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../../infra/os/project-paths';
import type { SdkOutcome, SdkStep } from './sdk-process';

/**
 * Runs `steps` through the Service Bus SDK in a process of its own (`sdk-process.js` from `dist/`: run
 * `npm run build` first), trusting `trustedCertificate` (a PEM file, through `NODE_EXTRA_CA_CERTS`) or, when
 * absent, only the system's CAs. One outcome per step, in order.
 */
export async function runSdkSteps(
  steps: readonly SdkStep[],
  trustedCertificate: string | undefined,
): Promise<SdkOutcome[]> {
  const script = join(projectRoot(), 'dist', 'testing', 'broker', 'sdk-process.js');
  if (!existsSync(script)) throw new Error(`${script} is missing: run \`npm run build\` first`);
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.NODE_EXTRA_CA_CERTS;
  if (trustedCertificate) env.NODE_EXTRA_CA_CERTS = trustedCertificate;
  const stdout = await new Promise<string>((resolve, reject) => {
    execFile(
      process.execPath,
      [script, JSON.stringify(steps)],
      { env, timeout: 60_000 },
      (error, out, err) =>
        error ? reject(new Error(`sdk-process failed: ${String(error)}\n${err}`)) : resolve(out),
    );
  });
  return JSON.parse(stdout.trim().split('\n').pop() ?? '[]') as SdkOutcome[];
}
