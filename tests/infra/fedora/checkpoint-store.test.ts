import { describe, expect, test } from 'vitest';
import { TableCheckpointStore } from '../../../infra/fedora';
import type { TableStore } from '../../../infra/storage';
import { PipelineError } from '../../../shared/errors';
import { checkpointAt } from '../../../shared/fedora/catch-up';
import type { CheckpointPort, StoredCheckpoint } from '../../../shared/fedora/catch-up';
import { useAzurite } from '../../../testing/azurite';
import { FakeDatagrepper } from '../../../testing/fedora/fake-datagrepper';
import { messagesOver, T0 } from '../../../testing/fedora/fake-messages';
import { CatchUpHarness } from '../../../testing/fedora/catch-up-harness';
import { useMsw } from '../../../testing/msw';

const server = useMsw([], { azurite: true });
const azurite = useAzurite();

function stores(): { tables: TableStore; table: string; store: (stream?: string) => TableCheckpointStore } {
  const tables = azurite.tables;
  const table = azurite.name('checkpoints');
  return { tables, table, store: (stream) => new TableCheckpointStore(tables, { table, stream }) };
}

describe('TableCheckpointStore on Azurite', () => {
  test('no checkpoint at first; commit inserts, then updates on the version it last wrote', async () => {
    const { store, tables, table } = stores();
    const checkpoints = store();
    expect(await checkpoints.read()).toBeUndefined();
    const first = await checkpoints.commit(checkpointAt(T0), undefined);
    expect(first.committed).toBe(true);
    const read = await checkpoints.read();
    expect(read?.checkpoint).toEqual({ through: T0 });
    const second = await checkpoints.commit(checkpointAt(T0 + 600), read?.version);
    expect(second.committed).toBe(true);
    expect((await checkpoints.read())?.checkpoint).toEqual({ through: T0 + 600 });
    const row = await tables.get(table, 'catch-up', 'datagrepper');
    expect(row?.entity).toMatchObject({ through: T0 + 600, throughIso: '2025-11-17T14:10:00Z' });
  });

  test('two writers from the same version: exactly one advances, the other is told it lost', async () => {
    const { store } = stores();
    const a = store();
    const b = store();
    await a.commit(checkpointAt(T0), undefined);
    const seen = (await a.read()) as StoredCheckpoint;
    const results = await Promise.all([
      a.commit(checkpointAt(T0 + 60), seen.version),
      b.commit(checkpointAt(T0 + 120), seen.version),
    ]);
    expect(results.filter((r) => r.committed)).toHaveLength(1);
    const winner = results[0]?.committed ? T0 + 60 : T0 + 120;
    expect((await b.read())?.checkpoint.through).toBe(winner);
  });

  test('two first runs racing to insert: one wins; streams are separate rows', async () => {
    const { store } = stores();
    const results = await Promise.all([
      store().commit(checkpointAt(T0), undefined),
      store().commit(checkpointAt(T0 + 1), undefined),
    ]);
    expect(results.filter((r) => r.committed)).toHaveLength(1);
    expect(await store('other').read()).toBeUndefined();
  });

  test('a row deleted mid-run is not resurrected; a garbled row is catch-up.corrupt-checkpoint', async () => {
    const { store, tables, table } = stores();
    const checkpoints = store();
    const inserted = await checkpoints.commit(checkpointAt(T0), undefined);
    await tables.delete(table, 'catch-up', 'datagrepper');
    const version = inserted.committed ? inserted.version : '';
    expect(await checkpoints.commit(checkpointAt(T0 + 60), version)).toEqual({ committed: false });
    expect(await checkpoints.read()).toBeUndefined();

    await tables.upsert(table, { partitionKey: 'catch-up', rowKey: 'datagrepper', through: 'soon' });
    const error = await checkpoints.read().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PipelineError);
    expect(error).toMatchObject({ code: 'catch-up.corrupt-checkpoint', retryable: false });
  });

  test('two catch-up runs at once on the same stream: one finishes, the other stops at its first commit', async () => {
    const { store } = stores();
    const horizon = T0 + 3600;
    const now = new Date((horizon + 60) * 1000);
    const fake = new FakeDatagrepper().add(messagesOver(T0 + 1, horizon, 600, 0));
    // Both runs must have read the checkpoint before either commits: hold each sink until both did.
    let reads = 0;
    let release: () => void = () => undefined;
    const bothRead = new Promise<void>((resolve) => (release = resolve));
    const counted = (inner: TableCheckpointStore): CheckpointPort => ({
      read: async () => {
        const stored = await inner.read();
        if (++reads === 2) release();
        return stored;
      },
      commit: (next, version) => inner.commit(next, version),
    });
    const runs = [
      new CatchUpHarness(server, fake, counted(store())),
      new CatchUpHarness(server, fake, counted(store())),
    ];
    for (const h of runs) {
      const submit = h.sink.submit.bind(h.sink);
      h.sink.submit = async (messages, source) => {
        await bothRead;
        return submit(messages, source);
      };
    }
    const options = { firstRunBackfillSeconds: 3600 };
    const results = await Promise.all(runs.map((h) => h.run(now, options)));
    expect(results.map((r) => r.ended).sort()).toEqual(['caught-up', 'lost-race']);
    expect((await store().read())?.checkpoint.through).toBe(horizon);
    const loser = runs[results.findIndex((r) => r.ended === 'lost-race')];
    expect(loser?.logs.some((l) => l.level === 'warn')).toBe(true);
  });
});
