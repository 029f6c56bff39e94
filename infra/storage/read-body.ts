/**
 * Reads a downloaded body to the end. The SDK hands back a Node stream (`readableStreamBody`); a failure while
 * reading it rejects here, inside the adapter's classified call, rather than later in the caller.
 */
export async function readBody(stream: NodeJS.ReadableStream | undefined): Promise<Buffer> {
  if (stream === undefined) return Buffer.alloc(0);
  const chunks: Buffer[] = [];
  for await (const chunk of stream) {
    chunks.push(typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk);
  }
  return Buffer.concat(chunks);
}
