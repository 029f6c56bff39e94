import { BlobServiceClient } from '@azure/storage-blob';
import { readFileSync } from 'node:fs';
import { expect, test } from 'vitest';
import { waitForPendingEvents } from '../../testing/pipeline/pending-events';
import { fixturePath } from '../../testing/fixtures/fixture-path';
import { useStartedPipeline } from '../../testing/pipeline/started-pipeline';

/**
 * The ingest path end to end: HTTP → normalize → Tables ledger / quarantine blob → the `ingest` queue → the
 * plan function, which keeps the event pending.
 */
const pipeline = useStartedPipeline('azl-ingest-');

const tagBody = JSON.parse(
  readFileSync(fixturePath('fedora-messages', 'buildsys.tag', '1.json'), 'utf8'),
) as Record<string, unknown>;

const wire = (id: string, body: unknown) => ({
  id,
  topic: 'org.fedoraproject.prod.buildsys.tag',
  headers: { fedora_messaging_schema: 'base.message', 'sent-at': '2026-11-25T10:00:00+00:00' },
  body,
});

const post = async (payload: unknown) => {
  const response = await fetch(`${pipeline.endpoints.apiBaseUrl}/fedora/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-functions-key': pipeline.endpoints.functionKey },
    body: JSON.stringify(payload),
  });
  return {
    status: response.status,
    json: (await response.json()) as { results: { id: string; outcome: string; reason?: string }[] },
  };
};

test('accepted messages reach the planner once; repeats are duplicates; malformed ones are quarantined', async () => {
  const first = await post([
    wire('e2e-tag-1', tagBody),
    wire('e2e-bad-1', { ...tagBody, build_id: 'not a number' }),
  ]);
  expect(first.status).toBe(202);
  expect(first.json.results.map((r) => [r.id, r.outcome])).toEqual([
    ['e2e-tag-1', 'accepted'],
    ['e2e-bad-1', 'rejected'],
  ]);
  expect(first.json.results[1]?.reason).toContain('build_id');

  const again = await post(wire('e2e-tag-1', tagBody));
  expect(again.json.results.map((r) => r.outcome)).toEqual(['duplicate']);

  // Queued once on `ingest`, taken by the plan function, and kept pending (no distro tree configured).
  const pending = await waitForPendingEvents(pipeline.endpoints.storageConnectionString, ['e2e-tag-1']);
  expect(pending.map((e) => e.messageId)).toEqual(['e2e-tag-1']);
  expect(pending[0]).toMatchObject({
    messageId: 'e2e-tag-1',
    kind: 'tagged',
    packages: [tagBody.name],
    tag: tagBody.tag,
  });

  const quarantine = BlobServiceClient.fromConnectionString(
    pipeline.endpoints.storageConnectionString,
  ).getContainerClient('quarantine');
  const names: string[] = [];
  for await (const blob of quarantine.listBlobsFlat()) names.push(blob.name);
  expect(names).toHaveLength(1);
  const kept = JSON.parse((await quarantine.getBlobClient(names[0]!).downloadToBuffer()).toString('utf8'));
  expect(kept).toMatchObject({ id: 'e2e-bad-1', source: 'http', message: { id: 'e2e-bad-1' } });
}, 60_000);
