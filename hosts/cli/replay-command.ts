import type { Command } from 'commander';
import { MAX_INGEST_BODY_BYTES } from '../../functions/fedora-ingest';
import { describeError, PipelineError } from '../../shared/errors';
import type { IngestResult } from '../../shared/fedora/ingest-port';
import { readEnvelope } from '../../shared/fedora/read-envelope';
import { batchForIngest } from '../../shared/ingest/replay-batches';
import type { HttpIngestClientOptions, HttpIngestTarget } from '../../infra/ingest/http-ingest-client';
import { postIngestBody } from '../../infra/ingest/http-ingest-client';
import { defaultDataDir } from '../../infra/os/project-paths';
import type { Progress } from '../../shared/progress';
import { silentProgress } from '../../shared/progress';
import { readEndpoints } from '../local/runtime/endpoints-file';
import { expand, readJson } from './ingest-normalize-command';
import { progressFor } from './progress-choice';

export interface ReplayOptions {
  readonly local: boolean;
  readonly dataDir: string;
  readonly url?: string;
  readonly key?: string;
}

/** One message to send, and where it came from (`<file>#<index>`), for the output line. */
interface Recorded {
  readonly input: string;
  readonly message: unknown;
}

type Outcome = IngestResult['outcome'] | 'unsent';

/**
 * `azl-rebuilder replay <files…>`: sends recorded Fedora messages into a running pipeline through
 * `POST /api/fedora/messages`, in bodies under the 1 MiB limit, and prints one JSON line per message
 * (`{input, id, topic, outcome, reason?}`) and a summary line (`{summary: {...counts}}`). A file holds one
 * message, an array or a datagrepper page, in any serialized form; a directory means its `*.json` in name
 * order; `-` is standard input. Exit code 0 when all were sent and none rejected, 2 when some were rejected
 * (by the pipeline, or here: unreadable input, a message over the limit), 1 when the pipeline could not be
 * reached (the messages not sent are printed as `unsent`; sending them again is safe: repeats are duplicates).
 * Progress (messages handled of all read) goes to stderr, never stdout: see `progressFor`.
 */
export function registerReplayCommand(program: Command, setExitCode: (code: number) => void): void {
  program
    .command('replay')
    .description('send recorded Fedora messages (files, directories of *.json, or -) to a running pipeline')
    .argument('<inputs...>', 'message files, directories, or - for standard input')
    .option('--local', 'the local pipeline started with `azl-rebuilder start` (its endpoints.json)', false)
    .option('--data-dir <dir>', "the local pipeline's data folder (with --local)", defaultDataDir())
    .option('--url <apiBaseUrl>', 'the API base URL, e.g. https://<app>.azurewebsites.net/api')
    .option('--key <functionKey>', 'the function key of the ingest function')
    .action(async (inputs: string[], options: ReplayOptions, command: Command) => {
      const progress = await progressFor(command, 'azl-rebuilder replay', { outputWhileWorking: true });
      setExitCode(await runReplay(inputs, options, {}, progress));
    });
}

export async function runReplay(
  inputs: readonly string[],
  options: ReplayOptions,
  client: HttpIngestClientOptions = {},
  progress: Progress = silentProgress,
): Promise<number> {
  const target = resolveTarget(options);
  if ('error' in target) {
    await write(process.stderr, `azl-rebuilder replay: ${target.error}\n`);
    return 1;
  }
  const tally: Record<Outcome, number> = { accepted: 0, duplicate: 0, ignored: 0, rejected: 0, unsent: 0 };
  const report = async (input: string, result: Omit<IngestResult, 'outcome'> & { outcome: Outcome }) => {
    tally[result.outcome] += 1;
    const line = { input, id: result.id ?? null, topic: result.topic ?? null, outcome: result.outcome };
    await write(
      process.stdout,
      `${JSON.stringify(result.reason ? { ...line, reason: result.reason } : line)}\n`,
    );
  };

  const recorded: Recorded[] = [];
  for (const input of expand(inputs)) {
    const read =
      input.error === undefined ? await readJson(input.label, process.stdin) : { error: input.error };
    const label = input.label === '-' ? '<stdin>' : input.label;
    if ('error' in read) {
      await report(label, { id: undefined, topic: undefined, outcome: 'rejected', reason: read.error });
      continue;
    }
    messagesOf(read.value).forEach((message, index) =>
      recorded.push({ input: `${label}#${index}`, message }),
    );
  }

  const { batches, oversized } = batchForIngest(
    recorded.map((r) => r.message),
    MAX_INGEST_BODY_BYTES,
  );
  const task = progress.begin(recorded.length, 'messages');
  let failure: unknown;
  try {
    for (const index of oversized) {
      await report(recorded[index]!.input, {
        ...idAndTopic(recorded[index]!.message),
        outcome: 'rejected',
        reason: `the message alone is larger than the ${MAX_INGEST_BODY_BYTES}-byte ingest limit; not sent`,
      });
      task.advance();
    }
    for (const batch of batches) {
      let results: IngestResult[] | undefined;
      if (failure === undefined) {
        try {
          results = await postIngestBody(target, batch.body, client);
        } catch (error) {
          failure = error;
        }
      }
      for (const [position, index] of batch.indexes.entries()) {
        const result = results?.[position];
        await report(
          recorded[index]!.input,
          result ?? {
            ...idAndTopic(recorded[index]!.message),
            outcome: 'unsent',
            reason: unsentReason(failure),
          },
        );
      }
      task.advance(batch.indexes.length);
    }
  } finally {
    task.finish();
  }
  // After the progress ended, so a bar on the same terminal does not swallow it.
  if (failure !== undefined) await write(process.stderr, `azl-rebuilder replay: ${describeError(failure)}\n`);
  await write(process.stdout, `${JSON.stringify({ summary: { messages: recorded.length, ...tally } })}\n`);
  return failure !== undefined ? 1 : tally.rejected > 0 ? 2 : 0;
}

function resolveTarget(options: ReplayOptions): HttpIngestTarget | { error: string } {
  if (options.url) return { apiBaseUrl: options.url, ...(options.key ? { functionKey: options.key } : {}) };
  if (!options.local)
    return { error: 'say where the pipeline is: --local, or --url <apiBaseUrl> --key <key>' };
  try {
    const endpoints = readEndpoints(options.dataDir);
    if (!endpoints) return { error: `no local pipeline running (no endpoints.json in ${options.dataDir})` };
    return { apiBaseUrl: endpoints.apiBaseUrl, functionKey: endpoints.functionKey };
  } catch (error) {
    return { error: `cannot read ${options.dataDir}/endpoints.json: ${describeError(error)}` };
  }
}

/** A file's messages: an array's items, a datagrepper page's `raw_messages`, else the one message. */
function messagesOf(value: unknown): unknown[] {
  if (Array.isArray(value)) return value;
  if (
    typeof value === 'object' &&
    value !== null &&
    Array.isArray((value as { raw_messages?: unknown }).raw_messages)
  )
    return (value as { raw_messages: unknown[] }).raw_messages;
  return [value];
}

/**
 * The id and topic of a message the pipeline never saw, as the pipeline would name it: its own id, or the
 * derived one of a fedmsg-era record without `msg_id` (`readEnvelope`), else what the message states.
 */
function idAndTopic(message: unknown): { id: string | undefined; topic: string | undefined } {
  const read = readEnvelope(message);
  if (read.ok) return { id: read.envelope.id, topic: read.envelope.topic };
  return { id: read.id, topic: read.topic };
}

const unsentReason = (failure: unknown): string =>
  PipelineError.is(failure) ? `${failure.code}: not sent` : 'not sent';

const write = (stream: NodeJS.WritableStream, text: string): Promise<void> =>
  new Promise((resolve, reject) => {
    stream.write(text, (error) => (error ? reject(error) : resolve()));
  });
