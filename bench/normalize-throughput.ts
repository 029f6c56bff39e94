import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { normalizeMany } from '../shared/fedora/normalize';
import { perSecond, round } from '../testing/measure';
import { fixturePath } from '../testing/fixtures/fixture-path';

export interface NormalizeThroughput {
  readonly messages: number;
  /** Distinct fixture messages cycled through. */
  readonly fixtures: number;
  readonly ms: number;
  /** Messages per second through `normalizeMany` (already-parsed messages, one core). Goal: ≥ 20,000. */
  readonly perSecond: number;
  readonly perMessageUs: number;
  /** The same, counting `JSON.parse` of each message's text as the HTTP ingest must. */
  readonly withJsonParsePerSecond: number;
  readonly outcomes: { readonly accepted: number; readonly ignored: number; readonly rejected: number };
}

const PAGE = 100; // datagrepper's largest page: the batch size catch-up hands in

/**
 * Replays the stored Fedora message fixtures (tests/fixtures/fedora-messages, cycled, each copy with a unique
 * id) through `normalizeMany` in pages of 100, on the calling thread. Messages are prepared before the clock
 * starts; a warm-up pass lets V8 optimize first.
 */
export async function measureNormalizeThroughput(count = 100_000): Promise<NormalizeThroughput> {
  const fixtures = loadFixtures();
  const texts = fixtures.map((message) => JSON.stringify(message));
  const messages = Array.from({ length: count }, (_, i) => withId(fixtures[i % fixtures.length]!, i));

  run(messages.slice(0, Math.min(count, 5_000)));
  const started = performance.now();
  const outcomes = run(messages);
  const ms = performance.now() - started;

  const parseStarted = performance.now();
  for (let i = 0; i < count; i += PAGE) {
    const page: unknown[] = [];
    for (let j = i; j < Math.min(count, i + PAGE); j += 1) {
      page.push(withId(JSON.parse(texts[j % texts.length]!) as Record<string, unknown>, j));
    }
    normalizeMany(page);
  }
  const parseMs = performance.now() - parseStarted;

  return {
    messages: count,
    fixtures: fixtures.length,
    ms: round(ms, 1),
    perSecond: perSecond(count, ms),
    perMessageUs: round((ms * 1000) / count, 2),
    withJsonParsePerSecond: perSecond(count, parseMs),
    outcomes,
  };
}

function run(messages: readonly unknown[]): NormalizeThroughput['outcomes'] {
  const tally = { accepted: 0, ignored: 0, rejected: 0 };
  for (let i = 0; i < messages.length; i += PAGE) {
    for (const outcome of normalizeMany(messages.slice(i, i + PAGE))) tally[outcome.outcome] += 1;
  }
  return tally;
}

/** A shallow copy with a unique message id, in whichever id field the form uses. */
function withId(message: Record<string, unknown>, i: number): Record<string, unknown> {
  return 'msg_id' in message ? { ...message, msg_id: `bench-${i}` } : { ...message, id: `bench-${i}` };
}

/** Every fixture as a complete message: body-only fixtures wrapped as wire messages of their directory's topic. */
function loadFixtures(): Record<string, unknown>[] {
  const root = fixturePath('fedora-messages');
  const out: Record<string, unknown>[] = [];
  for (const dir of readdirSync(root).sort()) {
    if (!statSync(join(root, dir)).isDirectory()) continue;
    for (const file of readdirSync(join(root, dir)).sort()) {
      if (!file.endsWith('.json')) continue;
      const raw = JSON.parse(readFileSync(join(root, dir, file), 'utf8')) as Record<string, unknown>;
      if ('msg' in raw || 'body' in raw) {
        out.push('msg' in raw && !('msg_id' in raw) ? { msg_id: 'x', ...raw } : raw);
        continue;
      }
      const prefix = dir.startsWith('anitya.') ? 'org.release-monitoring.prod.' : 'org.fedoraproject.prod.';
      out.push({
        id: 'x',
        topic: prefix + dir,
        headers: { 'sent-at': '2025-06-01T12:00:00+00:00' },
        body: raw,
      });
    }
  }
  return out;
}
