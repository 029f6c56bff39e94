import type { BuildRequest } from '../../shared/build';
import type { PlanWaves } from '../../shared/build-worker';
import { PipelineError } from '../../shared/errors';
import type { PlannedItem } from '../../shared/planner';
import { buildRequestOf } from '../../shared/planning-pass';
import type { PlanRecord } from '../../shared/planning-pass';
import { plansContainer } from '../../shared/storage';
import type { BlobStore } from '../storage';

/** A plan record read once, its items grouped by wave. */
interface WavedPlan {
  readonly record: PlanRecord;
  readonly byWave: readonly (readonly PlannedItem[])[];
}

/** Plans kept parsed; the least recently used is dropped first (it is only read again, never answered wrong). */
const KEPT_PLANS = 4;

/**
 * A plan's requests wave by wave, from the whole record in `plans/<planId>.json` (the `planitems` rows keep
 * only the first reasons of an item; the blob keeps all of them, and the upstream and sent times the
 * request carries). Each instance reads a plan's blob about once: a plan's waves are released one after the
 * other, so the record stays in the small cache between them.
 */
export class BlobPlanWaves implements PlanWaves {
  private readonly kept = new Map<string, WavedPlan>();

  constructor(private readonly blobs: BlobStore) {}

  async waveCount(planId: string): Promise<number | undefined> {
    return (await this.planOf(planId))?.byWave.length;
  }

  async wave(planId: string, wave: number): Promise<BuildRequest[]> {
    const plan = await this.planOf(planId);
    return (plan?.byWave[wave] ?? []).map((item) => buildRequestOf(plan!.record, item));
  }

  private async planOf(planId: string): Promise<WavedPlan | undefined> {
    const kept = this.kept.get(planId);
    if (kept) {
      this.kept.delete(planId);
      this.kept.set(planId, kept);
      return kept;
    }
    const name = plansContainer.blobName(planId);
    const blob = await this.blobs.get(plansContainer.name, name).catch((error: unknown) => {
      // No plan was ever written here (no `plans` container yet): no such plan.
      if (PipelineError.is(error) && error.code === 'storage.not-found') return undefined;
      throw error;
    });
    if (!blob) return undefined;
    const record = JSON.parse(blob.bytes.toString('utf8')) as PlanRecord;
    if (!Array.isArray(record.planned) || typeof record.createdAt !== 'string')
      throw PipelineError.permanent('build.bad-plan', `plan ${planId} has no planned items`, {
        container: plansContainer.name,
        blob: name,
      });
    const byWave: PlannedItem[][] = [];
    for (const item of record.planned) (byWave[item.wave] ??= []).push(item);
    for (let w = 0; w < byWave.length; w++) byWave[w] ??= [];
    const plan = { record, byWave };
    this.kept.set(planId, plan);
    if (this.kept.size > KEPT_PLANS) this.kept.delete(this.kept.keys().next().value as string);
    return plan;
  }
}
