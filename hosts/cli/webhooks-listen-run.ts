import { describeError, PipelineError } from '../../shared/errors';
import { writeStream } from './json-output';

/** `webhooks listen` options, as commander parses them. */
export interface ListenOptions {
  readonly port: number;
  readonly host: string;
  readonly secret?: string;
}
import { startWebhookListener } from './webhook-listener';

/** Until SIGINT or SIGTERM, as `start` waits. */
const untilSignal = (): Promise<NodeJS.Signals> =>
  new Promise((resolve) => {
    process.once('SIGINT', () => resolve('SIGINT'));
    process.once('SIGTERM', () => resolve('SIGTERM'));
  });

/**
 * `azl-rebuilder webhooks listen`: prints the listener's URL, then one line per request it receives on
 * stdout, until `stopped` (a signal) resolves; exit code 0, or 1 when it cannot listen (a line on stderr).
 */
export async function runListen(
  options: ListenOptions,
  stopped: () => Promise<unknown> = untilSignal,
): Promise<number> {
  const out = (line: string) => void process.stdout.write(`${line}\n`);
  const signalled = stopped();
  let listener;
  try {
    listener = await startWebhookListener({
      port: options.port,
      host: options.host,
      ...(options.secret === undefined ? {} : { secret: options.secret }),
      out,
    });
  } catch (error) {
    const code = PipelineError.is(error) ? `${error.code}: ` : '';
    await writeStream(process.stderr, `azl-rebuilder webhooks listen: ${code}${describeError(error)}\n`);
    return 1;
  }
  await writeStream(
    process.stdout,
    `listening on ${listener.url} (${
      options.secret === undefined
        ? 'signatures not verified: give --secret whsec_… to verify them'
        : 'verifying signatures with the given secret'
    }); stop with Ctrl-C\n`,
  );
  await signalled;
  await listener.close();
  return 0;
}
