import { describeError, PipelineError } from '../../shared/errors';

/** Writes and waits until the stream took the data, so exiting right after loses nothing. */
export const writeStream = (stream: NodeJS.WritableStream, text: string): Promise<void> =>
  new Promise((done, fail) => stream.write(text, (error) => (error ? fail(error) : done())));

/**
 * A command whose answer is one JSON document on stdout: `produce`'s value and exit code 0, or, when it
 * throws, `{error: {code, message, …context}}` on stdout, one line naming `command` on stderr, and exit code 1.
 */
export async function runJsonCommand(command: string, produce: () => unknown): Promise<number> {
  try {
    await writeStream(process.stdout, `${JSON.stringify(await produce(), null, 2)}\n`);
    return 0;
  } catch (error) {
    return reportFailure(command, error);
  }
}

/**
 * A command whose answer is text for people (a table): `produce`'s text on stdout and exit code 0; a failure
 * is reported as `runJsonCommand` reports it, so scripts read errors the same way from every command.
 */
export async function runTextCommand(command: string, produce: () => Promise<string>): Promise<number> {
  let text: string;
  try {
    text = await produce();
  } catch (error) {
    return reportFailure(command, error);
  }
  await writeStream(process.stdout, text);
  return 0;
}

async function reportFailure(command: string, error: unknown): Promise<number> {
  const details = PipelineError.is(error)
    ? { code: error.code, message: error.message, ...error.context }
    : { code: 'internal', message: describeError(error) };
  await writeStream(process.stdout, `${JSON.stringify({ error: details }, null, 2)}\n`);
  await writeStream(process.stderr, `azl-rebuilder ${command}: ${details.code}: ${details.message}\n`);
  return 1;
}
