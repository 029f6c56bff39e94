import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { normalizeMany } from '../../shared/fedora/normalize';
import type { NormalizeOptions } from '../../shared/fedora/normalize';
import type { NormalizeOutcome } from '../../shared/fedora/upstream-event';

/**
 * `azl-rebuilder ingest normalize <file|dir|->…`: runs Fedora messages through `normalize` offline and prints
 * one JSON line per message: `{"id","topic","outcome","event"?,"reason"?,"path"?}` (`path` for rejections).
 * Inputs hold one message, an array, or a datagrepper page, in any of the three serialized forms; a
 * directory means every `*.json` directly inside it, in name order; `-` is standard input.
 * Exit code: 1 if an input could not be read or parsed (reported on stderr, naming it), else 2 if a message
 * was rejected, else 0.
 *
 * Registration adds `normalize` under the `ingest` command, creating `ingest` unless another module already
 * did (other ingest subcommands may live in their own files).
 */
export function registerIngestNormalizeCommand(program: Command, setExitCode: (code: number) => void): void {
  const ingest =
    program.commands.find((command) => command.name() === 'ingest') ??
    program.command('ingest').description('Fedora message ingestion');
  ingest
    .command('normalize')
    .description('normalize Fedora messages (files, directories of *.json, or - for stdin) to JSON lines')
    .argument('<inputs...>', 'message files, directories, or - for standard input')
    .option(
      '--rawhide-release <n>',
      'the Fedora release number Rawhide builds as (f<n> ⇒ rawhide)',
      rawhideRelease,
    )
    .action(async (inputs: string[], options: { rawhideRelease?: number }) => {
      const normalizeOptions =
        options.rawhideRelease === undefined ? {} : { rawhideRelease: options.rawhideRelease };
      setExitCode(await runIngestNormalize(inputs, normalizeOptions));
    });
}

export async function runIngestNormalize(
  inputs: readonly string[],
  options: NormalizeOptions = {},
): Promise<number> {
  let unreadable = false;
  let rejected = false;
  for (const input of expand(inputs)) {
    const read =
      input.error === undefined ? await readJson(input.label, process.stdin) : { error: input.error };
    if ('error' in read) {
      unreadable = true;
      const shown = input.label === '-' ? '<stdin>' : input.label;
      await write(process.stderr, `azl-rebuilder ingest normalize: ${shown}: ${read.error}\n`);
      continue;
    }
    const outcomes = normalizeMany(read.value, options);
    if (outcomes.some((o) => o.outcome === 'rejected')) rejected = true;
    if (outcomes.length > 0) await write(process.stdout, outcomes.map(line).join(''));
  }
  return unreadable ? 1 : rejected ? 2 : 0;
}

export async function readJson(
  label: string,
  stdin: NodeJS.ReadableStream,
): Promise<{ value: unknown } | { error: string }> {
  let text: string;
  try {
    text = label === '-' ? await readAll(stdin) : readFileSync(label, 'utf8');
  } catch (error) {
    return { error: `cannot read: ${message(error)}` };
  }
  try {
    return { value: JSON.parse(text) as unknown };
  } catch (error) {
    return { error: `invalid JSON: ${message(error)}` };
  }
}

/** One output line; `id` and `topic` are null (not missing) when a rejected message has none readable. */
function line(outcome: NormalizeOutcome): string {
  const head = { id: outcome.id ?? null, topic: outcome.topic ?? null, outcome: outcome.outcome };
  if (outcome.outcome === 'accepted') return `${JSON.stringify({ ...head, event: outcome.event })}\n`;
  if (outcome.outcome === 'ignored') return `${JSON.stringify({ ...head, reason: outcome.reason })}\n`;
  return `${JSON.stringify({ ...head, reason: outcome.reason, path: outcome.path })}\n`;
}

/** The inputs as files to read, directories expanded; an input that cannot be listed carries its error. */
export function expand(inputs: readonly string[]): { label: string; error?: string }[] {
  const out: { label: string; error?: string }[] = [];
  for (const input of inputs) {
    if (input === '-') {
      out.push({ label: '-' });
      continue;
    }
    try {
      if (!statSync(input).isDirectory()) {
        out.push({ label: input });
        continue;
      }
      const files = readdirSync(input, { withFileTypes: true })
        .filter((entry) => entry.name.endsWith('.json') && !entry.isDirectory())
        .map((entry) => entry.name)
        .sort();
      for (const file of files) out.push({ label: join(input, file) });
    } catch (error) {
      out.push({ label: input, error: `cannot read: ${message(error)}` });
    }
  }
  return out;
}

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks).toString('utf8');
}

/** Writes and waits until the stream took the data, so exiting right after loses nothing. */
const write = (stream: NodeJS.WritableStream, text: string): Promise<void> =>
  new Promise((resolve, reject) => {
    stream.write(text, (error) => (error ? reject(error) : resolve()));
  });

const message = (error: unknown): string => (error instanceof Error ? error.message : String(error));

function rawhideRelease(value: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 1 || parsed > 9999) {
    throw new InvalidArgumentError('expected a Fedora release number, e.g. 44');
  }
  return parsed;
}
