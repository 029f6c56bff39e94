import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { waitForPendingEvents } from '../../testing/pipeline/pending-events';
import { fixturePath } from '../../testing/fixtures/fixture-path';
import { useStartedPipeline } from '../../testing/pipeline/started-pipeline';
import { mulberry32 } from '../../testing/seeded-random';

/**
 * 10,000 malformed or hostile HTTP ingest bodies, fuzzed from the real fixtures with a seeded generator: wrong
 * types, huge strings, deep nesting, invalid UTF-8, path-traversal package names, bodies that are not JSON.
 * None gets a 5xx or stops the pipeline; every message is answered with an outcome (a rejected one with its
 * reason); and a valid message sent afterwards is processed normally.
 */
const pipeline = useStartedPipeline('azl-hostile-');

const fixtures = fixturePath('fedora-messages');
const bodies: Record<string, unknown>[] = readdirSync(fixtures, { withFileTypes: true })
  .filter((entry) => entry.isDirectory() && !entry.name.startsWith('_'))
  .flatMap((dir) =>
    readdirSync(join(fixtures, dir.name))
      .filter((file) => file.endsWith('.json'))
      .map((file) => ({
        topic: `org.fedoraproject.prod.${dir.name}`,
        body: JSON.parse(readFileSync(join(fixtures, dir.name, file), 'utf8')) as unknown,
      })),
  );

const HOSTILE_VALUES: unknown[] = [
  '../../../../etc/passwd',
  '..%2F..%2Fetc%2Fshadow',
  'name/with/slashes',
  '\u0000nul',
  'x'.repeat(50_000),
  -1,
  1e308,
  null,
  [],
  {},
  true,
  { __proto__: { polluted: true } },
  { constructor: { prototype: { polluted: true } } },
];

function deep(depth: number): unknown {
  let value: unknown = 'bottom';
  for (let i = 0; i < depth; i++) value = i % 2 ? [value] : { nested: value };
  return value;
}

/** One fuzzed request body (as bytes): a mutated fixture message in one of several shapes. */
function fuzzedBody(next: () => number, i: number): Buffer {
  const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)] as T;
  const base = pick(bodies);
  const message: Record<string, unknown> = {
    id: `fuzz-${i}`,
    topic: base.topic,
    headers: { fedora_messaging_schema: 'base.message', 'sent-at': '2026-11-25T10:00:00+00:00' },
    body: JSON.parse(JSON.stringify(base.body)) as unknown,
  };
  const body = message['body'] as Record<string, unknown>;
  switch (i % 8) {
    case 0: // a field of the body gets a hostile value
      if (typeof body === 'object' && body !== null)
        body[pick(Object.keys(body)) ?? 'name'] = pick(HOSTILE_VALUES);
      break;
    case 1: // the package name is a path
      if (typeof body === 'object' && body !== null) body['name'] = pick(HOSTILE_VALUES.slice(0, 4));
      message['topic'] = 'org.fedoraproject.prod.buildsys.tag';
      break;
    case 2: // envelope fields of the wrong type
      message[pick(['id', 'topic', 'headers', 'body'])] = pick(HOSTILE_VALUES);
      break;
    case 3: // deep nesting
      message['body'] = deep(500 + Math.floor(next() * 3_000));
      break;
    case 4: // invalid UTF-8 inside an otherwise valid JSON document
      return Buffer.concat([
        Buffer.from('{"id":"fuzz-'),
        Buffer.from([0xff, 0xfe, 0xc3]),
        Buffer.from(`${i}","topic":"x"}`),
      ]);
    case 5: // not JSON at all
      return Buffer.from(pick(['', '{', 'null', '[1,2', '\u0000\u0001', '<xml/>', '{"a":}']));
    case 6: // an array mixing valid and invalid shapes
      return Buffer.from(JSON.stringify([message, 42, 'text', null, { id: 7 }]));
    case 7: // a huge string where a short one belongs
      message['topic'] = `org.fedoraproject.prod.${'a'.repeat(20_000)}`;
      break;
  }
  return Buffer.from(JSON.stringify(message));
}

async function post(body: Buffer): Promise<{ status: number; json: unknown }> {
  const response = await fetch(`${pipeline.endpoints.apiBaseUrl}/fedora/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-functions-key': pipeline.endpoints.functionKey },
    body,
  });
  const text = await response.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = text;
  }
  return { status: response.status, json };
}

test('10,000 hostile bodies: no 5xx, every message answered with an outcome, and the pipeline still works', async () => {
  const next = mulberry32(20261201);
  const statuses = new Map<number, number>();
  const outcomes = new Map<string, number>();
  const problems: string[] = [];
  const total = 10_000;
  let sent = 0;
  const worker = async () => {
    while (sent < total) {
      const i = sent++;
      const { status, json } = await post(fuzzedBody(next, i));
      statuses.set(status, (statuses.get(status) ?? 0) + 1);
      if (status >= 500) problems.push(`#${i}: ${status} ${JSON.stringify(json).slice(0, 200)}`);
      if (status === 202) {
        const results = (json as { results: { outcome: string; reason?: string }[] }).results;
        for (const result of results) {
          outcomes.set(result.outcome, (outcomes.get(result.outcome) ?? 0) + 1);
          if (result.outcome === 'rejected' && !result.reason)
            problems.push(`#${i}: rejected without a reason`);
        }
      } else if (status !== 400 && status !== 413) problems.push(`#${i}: unexpected ${status}`);
      else if (typeof (json as { code?: unknown }).code !== 'string')
        problems.push(`#${i}: ${status} without a code`);
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));

  expect(problems.slice(0, 10)).toEqual([]);
  expect([...statuses.keys()].every((s) => s < 500)).toBe(true);
  expect(outcomes.get('rejected')).toBeGreaterThan(1_000);

  const health = await fetch(pipeline.endpoints.healthUrl);
  expect(health.status).toBe(200);
  const tag = JSON.parse(readFileSync(join(fixtures, 'buildsys.tag', '1.json'), 'utf8')) as Record<
    string,
    unknown
  >;
  const valid = await post(
    Buffer.from(
      JSON.stringify({
        id: 'after-the-fuzz',
        topic: 'org.fedoraproject.prod.buildsys.tag',
        headers: { fedora_messaging_schema: 'base.message', 'sent-at': '2026-11-25T10:00:00+00:00' },
        body: tag,
      }),
    ),
  );
  expect(valid.status).toBe(202);
  expect(valid.json).toMatchObject({ results: [{ id: 'after-the-fuzz', outcome: 'accepted' }] });
  const pending = await waitForPendingEvents(pipeline.endpoints.storageConnectionString, ['after-the-fuzz']);
  expect(pending.map((e) => e.messageId)).toContain('after-the-fuzz');
}, 300_000);
