import { describe, expect, test } from 'vitest';
import { TableImageTriggerState } from '../../../infra/image-trigger/table-image-trigger-state';
import { useAzurite } from '../../../testing/azurite';

const azurite = useAzurite();
const t0 = Date.parse('2026-12-06T10:00:00.000Z');
const at = (ms: number) => new Date(t0 + ms);

describe('TableImageTriggerState on Azurite', () => {
  test('records changes forward only: the later time, the higher revision, the later request', async () => {
    const state = new TableImageTriggerState(azurite.tables, azurite.name('imgtrig'));
    expect(await state.get('vm-base')).toBeUndefined();
    await state.recordChange('vm-base', { repository: 'base/x86_64', revision: 5, at: at(60_000) });
    // A late, redelivered event: neither the time nor the revision moves back.
    const row = await state.recordChange('vm-base', { repository: 'base/x86_64', revision: 4, at: at(0) });
    await state.recordChange('vm-base', { repository: 'extras/x86_64', revision: 1, at: at(30_000) });
    await state.markRequested('vm-base', at(60_000).toISOString());
    await state.markRequested('vm-base', at(0).toISOString());

    expect(row).toEqual({
      image: 'vm-base',
      lastRepoChangeAt: at(60_000).toISOString(),
      revisions: { 'base/x86_64': 5 },
    });
    expect(await state.get('vm-base')).toEqual({
      image: 'vm-base',
      lastRepoChangeAt: at(60_000).toISOString(),
      revisions: { 'base/x86_64': 5, 'extras/x86_64': 1 },
      requestedForChangeAt: at(60_000).toISOString(),
    });
  });

  test('changes recorded at once for one image all land', async () => {
    const name = azurite.name('imgtrig');
    const repositories = ['base/x86_64', 'extras/x86_64', 'cloud/x86_64', 'sdk/x86_64'];
    await Promise.all(
      repositories.map((repository, i) =>
        new TableImageTriggerState(azurite.tables, name).recordChange('vm-base', {
          repository,
          revision: i + 1,
          at: at(i),
        }),
      ),
    );
    const row = await new TableImageTriggerState(azurite.tables, name).get('vm-base');
    expect(row?.revisions).toEqual({
      'base/x86_64': 1,
      'extras/x86_64': 2,
      'cloud/x86_64': 3,
      'sdk/x86_64': 4,
    });
    expect(row?.lastRepoChangeAt).toBe(at(3).toISOString());
  });
});
