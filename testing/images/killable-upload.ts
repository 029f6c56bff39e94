import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { PageBlob } from '../../infra/images/page-blob-port';
import { projectRoot } from '../../infra/os/project-paths';
import { mergeRanges, totalLength } from '../../shared/images/byte-ranges';
import type { ByteRange } from '../../shared/images/byte-ranges';
import type { UploadProcessJob, UploadProcessLine } from './upload-process';

/** What a SIGKILLed upload process had reported when it died. */
export interface KilledUpload {
  /** The page writes the service acknowledged to the process, in the order it heard of them. */
  readonly acknowledged: readonly ByteRange[];
  /** Their bytes: a lower bound of what the blob holds (writes in flight at the kill may have landed too). */
  readonly acknowledgedBytes: number;
  /** The signal that ended it: `SIGKILL` when the kill came before the upload finished. */
  readonly signal: NodeJS.Signals | null;
}

/**
 * Runs `upload-process.js` from `dist/` (`npm run build` first) on `job` and SIGKILLs it as soon as the
 * service has acknowledged `killAfterBytes` of page writes. Resolves once the process is gone; fails when the
 * process ended before the kill (the upload finished or failed first), with its stderr.
 */
export async function uploadKilledAfter(
  job: UploadProcessJob,
  killAfterBytes: number,
): Promise<KilledUpload> {
  const script = join(projectRoot(), 'dist', 'testing', 'images', 'upload-process.js');
  if (!existsSync(script)) throw new Error(`${script} is missing: run \`npm run build\` first`);
  const child = spawn(process.execPath, [script, JSON.stringify(job)], { stdio: ['ignore', 'pipe', 'pipe'] });
  const acknowledged: ByteRange[] = [];
  let acknowledgedBytes = 0;
  let killed = false;
  let stderr = '';
  let pending = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  child.stdout.on('data', (chunk: Buffer) => {
    pending += chunk.toString();
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const text of lines) {
      const line = JSON.parse(text) as UploadProcessLine;
      if (!('wrote' in line) || killed) continue;
      const [start, end] = line.wrote;
      acknowledged.push({ start, end });
      acknowledgedBytes += end - start;
      if (acknowledgedBytes >= killAfterBytes) {
        killed = true;
        child.kill('SIGKILL');
      }
    }
  });
  const { code, signal } = await new Promise<{ code: number | null; signal: NodeJS.Signals | null }>(
    (resolve, reject) => {
      child.once('error', reject);
      child.once('exit', (exitCode, exitSignal) => resolve({ code: exitCode, signal: exitSignal }));
    },
  );
  if (signal !== 'SIGKILL') {
    throw new Error(
      `the upload process ended before it was killed (exit code ${code}, ${acknowledgedBytes} bytes acknowledged): ${stderr}`,
    );
  }
  return { acknowledged, acknowledgedBytes: totalLength(acknowledged), signal };
}

/**
 * The page ranges of `blob` once they stop changing: the service may still complete writes that were in
 * flight when the uploading process died (their requests had arrived whole), so a read right after the kill
 * can miss some. Read until two reads `quietMs` apart agree.
 */
export async function settledPageRanges(blob: PageBlob, quietMs = 250): Promise<ByteRange[]> {
  let ranges = mergeRanges(await blob.pageRanges());
  for (;;) {
    await sleep(quietMs);
    const again = mergeRanges(await blob.pageRanges());
    if (JSON.stringify(again) === JSON.stringify(ranges)) return ranges;
    ranges = again;
  }
}
