import type { BuildRequest } from '../build/build-request';
import type { PlanProgress, WaveReleasePorts } from './ports';

/**
 * Wave release (issue 20 item 6): a plan's waves are sent one at a time, each when the one before it ends,
 * instead of all at once with later waves polling the wave gate every 30 s. The planning pass sends the first
 * wave; whenever a build of the plan reaches a final state, its worker asks whether that ended the plan's
 * earliest unfinished wave and, if so, sends the next wave's requests. So a plan costs one message per item
 * (plus dropped duplicates), and a wave starts as soon as the one before it ends.
 *
 * Why it never loses a wave nor builds twice:
 * - The check runs after the build's final record is written, and reads every other item of the wave (the
 *   `WaveCursor`, which resumes at the earliest unfinished item). Of two workers finishing the last two builds
 *   of a wave at once, the later writer's check sees both final; both may see it, and both send.
 * - Sending twice is harmless: the requests carry the planning pass's message ids (the fingerprint), which
 *   the `builds` queue's duplicate detection drops; a request that does get through finds its build final
 *   (`already-final`) or is serialized behind it by the component's session.
 * - The check is part of handling the message: a worker that dies between the final record and the send
 *   leaves the message unsettled, its redelivery finds the build final (`already-final`) and checks again.
 *   A message that is not redelivered (dead-lettered) is covered by the reconciler, which sends the items of
 *   a plan's earliest unfinished wave that have no build record once that wave has been ready long enough.
 * - A next wave whose builds are all final already (an earlier plan built the same fingerprints) is passed
 *   over: nothing of it would arrive to release the wave after it, so that one is sent instead.
 * Dependents of failures: the released requests go through the wave gate like any other, which skips a
 * build whose rebuild path holds a failure (`dependency-failed`), a final state that counts as its wave's end.
 */

/** What a final build of wave `finishedWave` means for its plan. */
export type ReleaseDecision =
  | { readonly kind: 'release'; readonly wave: number }
  | { readonly kind: 'none'; readonly why: 'wave-open' | 'plan-done' };

/**
 * Pure: the next wave goes once nothing of the plan up to `finishedWave` is unfinished, unless
 * `finishedWave` was the plan's last.
 */
export function decideRelease(
  finishedWave: number,
  unfinishedThrough: readonly string[],
  waveCount: number,
): ReleaseDecision {
  if (unfinishedThrough.length > 0) return { kind: 'none', why: 'wave-open' };
  if (finishedWave + 1 >= waveCount) return { kind: 'none', why: 'plan-done' };
  return { kind: 'release', wave: finishedWave + 1 };
}

/** What one check did: the wave it sent (and how many requests), or why it sent none. */
export type ReleaseResult =
  | { readonly released: number; readonly sent: number }
  | { readonly released?: undefined; readonly why: 'wave-open' | 'plan-done' | 'plan-unknown' };

/** Requests are sent in chunks of this many: a wave may hold thousands (the sender splits by size further). */
export const RELEASE_CHUNK = 250;

export class WaveRelease {
  /**
   * Waves this instance has sent, as `<planId> <wave>`. The last builds of a wave end at about the same time,
   * and each of them finds the wave final and would send the next one again: the queue drops the repeats, but
   * each still costs a send (about 52,000 of them for the 7,426-item root update). Another instance, or this
   * one after a restart, may still send a wave again; duplicate detection keeps that harmless.
   */
  private readonly sent = new Set<string>();

  constructor(
    private readonly progress: Pick<PlanProgress, 'unfinishedBefore'>,
    private readonly ports: WaveReleasePorts,
    private readonly chunk = RELEASE_CHUNK,
  ) {}

  /**
   * Called once a build of `planId`'s wave `wave` is final (or found final again): when nothing of the plan
   * up to that wave is unfinished, sends the plan's earliest unfinished wave after it (all its requests:
   * those already sent are dropped by the queue). Waves with nothing unfinished are passed over. The reads
   * go through the wave cursor, which starts where the plan's earliest unfinished item is, so checks after
   * every build cost a read or two, and the plan itself is read about once per wave.
   * Throws when a send fails, so the message is delivered again and the check runs again.
   */
  async afterFinal(request: Pick<BuildRequest, 'planId' | 'wave'>): Promise<ReleaseResult> {
    const { planId } = request;
    // Whether anything is unfinished, not what: one name is enough, and each more would cost a read.
    const unfinished = await this.progress.unfinishedBefore(planId, request.wave + 1, 1);
    if (unfinished.length > 0) return { why: 'wave-open' };
    const waveCount = await this.ports.plans.waveCount(planId);
    if (waveCount === undefined) return { why: 'plan-unknown' };
    const decision = decideRelease(request.wave, unfinished, waveCount);
    if (decision.kind === 'none') return { why: decision.why };
    for (let next = decision.wave; next < waveCount; next++) {
      // Everything before `next` is final; is anything of `next` not?
      if ((await this.progress.unfinishedBefore(planId, next + 1, 1)).length === 0) continue;
      const key = `${planId} ${next}`;
      if (this.sent.has(key)) return { released: next, sent: 0 };
      const requests = await this.ports.plans.wave(planId, next);
      for (let i = 0; i < requests.length; i += this.chunk)
        await this.ports.builds.send(requests.slice(i, i + this.chunk));
      this.sent.add(key);
      return { released: next, sent: requests.length };
    }
    return { why: 'plan-done' };
  }
}
