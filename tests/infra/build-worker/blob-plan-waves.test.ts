import { expect, test } from 'vitest';
import { BlobPlanWaves } from '../../../infra/build-worker/blob-plan-waves';
import { TablePlanStore } from '../../../infra/planning-pass/table-plan-store';
import { ensureCatalogueContainer } from '../../../infra/storage';
import { buildRequestsOf } from '../../../shared/planning-pass';
import type { PlanRecord } from '../../../shared/planning-pass';
import type { PlannedItem } from '../../../shared/planner';
import { plansContainer } from '../../../shared/storage';
import { useAzurite, uniqueName } from '../../../testing/azurite';

const { tables, blobs } = useAzurite();
const fp = (n: number) => `sha256:${n.toString(16).padStart(64, '0')}`;

/** An item with more reasons than a `planitems` row keeps (200): the request must carry them all. */
const item = (component: string, wave: number, n: number, reasons = 1): PlannedItem => ({
  component,
  wave,
  fingerprint: fp(n),
  priority: 200,
  reasons: Array.from({ length: reasons }, (_, r) => ({
    messageId: `m-${r}`,
    kind: 'built',
    package: `root${r}`,
    component: `root${r}`,
    ...(wave > 0 ? { path: [{ from: 'zlib', buildRequire: 'zlib-devel' }] } : {}),
  })),
});

test('the requests of a wave, from the stored plan record, are those the planning pass builds for it', async () => {
  const planId = uniqueName('plan');
  const record: PlanRecord = {
    planId,
    createdAt: '2026-12-01T12:00:00.000Z',
    messageIds: ['m-0'],
    modelVersion: 'm',
    indexVersion: 'i',
    planned: [item('zlib', 0, 1), item('libpng', 1, 2, 250), item('curl', 1, 3), item('rpm', 2, 4)],
    skipped: [],
    cycles: [],
    upstreams: { zlib: { nvr: 'zlib-1.3-1.fc44', commit: 'abc' } },
    sentAt: { 'm-0': '2026-12-01T11:59:00Z' },
    traces: { curl: [{ traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' }] },
  };
  await new TablePlanStore(tables, blobs).save(record);
  const waves = new BlobPlanWaves(blobs);

  expect(await waves.waveCount(planId)).toBe(3);
  const all = buildRequestsOf(record);
  expect(await waves.wave(planId, 0)).toEqual([all[0]]);
  const wave1 = await waves.wave(planId, 1);
  expect(wave1).toEqual([all[1], all[2]]);
  expect(wave1[0]?.reasons).toHaveLength(250);
  expect(wave1[0]?.upstreamSentAt).toBe('2026-12-01T11:59:00Z');
  expect(await waves.wave(planId, 3)).toEqual([]);
  expect(await waves.waveCount(uniqueName('plan-none'))).toBeUndefined();
  expect(await waves.wave(uniqueName('plan-none'), 0)).toEqual([]);

  // Read once per instance: the record stays parsed between the waves of its plan.
  await blobs.delete(plansContainer.name, plansContainer.blobName(planId));
  expect(await waves.wave(planId, 2)).toEqual([all[3]]);
});

test('a stored plan without planned items is refused with a permanent error', async () => {
  const planId = uniqueName('plan');
  await ensureCatalogueContainer(blobs, plansContainer);
  await blobs.put(plansContainer.name, plansContainer.blobName(planId), JSON.stringify({ planId }), {
    contentType: 'application/json',
  });
  await expect(new BlobPlanWaves(blobs).waveCount(planId)).rejects.toMatchObject({
    code: 'build.bad-plan',
    retryable: false,
  });
});
