import { describe, expect, it } from 'vitest';
import { megabyteProgress } from '../../../infra/progress/megabyte-progress';
import { RecordingProgress } from '../../../testing/fakes/recording-progress';

describe('megabyteProgress', () => {
  it('advances by whole megabytes of a running byte count, never back, never past the total', () => {
    const progress = new RecordingProgress();
    const read = megabyteProgress(progress, 4_200_000, 'of repodata read');
    read.at(500_000);
    read.at(2_300_000);
    read.at(2_000_000); // an earlier count (a gzip engine's, say) does not move it back
    read.at(3_999_999);
    read.at(9_000_000);
    read.complete();
    read.finish();
    expect(progress.tasks).toEqual([
      { total: 5, unit: 'MB of repodata read', advances: [2, 1, 2], finished: true },
    ]);
  });

  it('a file under a megabyte is one unit, reached when it completes', () => {
    const progress = new RecordingProgress();
    const read = megabyteProgress(progress, 12_345, 'of repodata read');
    read.at(12_345);
    expect(progress.done()).toBe(0);
    read.complete();
    read.finish();
    expect(progress.tasks).toEqual([
      { total: 1, unit: 'MB of repodata read', advances: [1], finished: true },
    ]);
  });
});
