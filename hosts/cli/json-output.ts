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
    const details = PipelineError.is(error)
      ? { code: error.code, message: error.message, ...error.context }
      : { code: 'internal', message: describeError(error) };
    await writeStream(process.stdout, `${JSON.stringify({ error: details }, null, 2)}\n`);
    await writeStream(process.stderr, `azl-rebuilder ${command}: ${details.code}: ${details.message}\n`);
    return 1;
  }
}
