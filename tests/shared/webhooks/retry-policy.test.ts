import { describe, expect, it } from 'vitest';
import { PipelineError } from '../../../shared/errors';
import type { AttemptOutcome } from '../../../shared/webhooks/delivery-attempt';
import { decideAfterAttempt, retryAfterMs } from '../../../shared/webhooks/retry-policy';
import { answered } from '../../../testing/fakes/delivery-ports';

const now = new Date('2026-12-06T10:00:00.000Z');
const schedule = [5_000, 300_000, 1_800_000, 7_200_000, 18_000_000, 36_000_000, 36_000_000];
const context = (attempt: number, random = 0) => ({
  attempt,
  scheduleMs: schedule,
  now,
  random: () => random,
});
const failed = (code: 'webhook.timeout'): AttemptOutcome => ({
  kind: 'failed',
  error: PipelineError.transient(code, 'it failed'),
  latencyMs: 15_000,
});
const delayOf = (decision: ReturnType<typeof decideAfterAttempt>) =>
  decision.kind === 'retry' ? decision.at.getTime() - now.getTime() : undefined;

describe('decideAfterAttempt', () => {
  it('counts any 2xx as delivered', () => {
    for (const status of [200, 201, 202, 204, 299])
      expect(decideAfterAttempt(answered(status), context(1)).kind).toBe('delivered');
  });

  it('disables the endpoint on 410 Gone, on any attempt', () => {
    expect(decideAfterAttempt(answered(410), context(1))).toEqual({
      kind: 'disable',
      detail: 'the endpoint answered 410 Gone',
    });
  });

  it('retries other answers and failures on the schedule: attempt n waits schedule[n-1] plus up to 10 % jitter', () => {
    expect(delayOf(decideAfterAttempt(answered(500), context(1)))).toBe(5_000);
    expect(delayOf(decideAfterAttempt(failed('webhook.timeout'), context(2)))).toBe(300_000);
    expect(delayOf(decideAfterAttempt(answered(302), context(3, 0.999)))).toBe(1_800_000 + 179_820);
    expect(delayOf(decideAfterAttempt(answered(404), context(7)))).toBe(36_000_000);
  });

  it('gives up once the schedule is used up: eight attempts in all with the default schedule', () => {
    const decision = decideAfterAttempt(answered(500), context(8));
    expect(decision).toEqual({ kind: 'give-up', detail: 'answered 500; no attempts left after 8' });
  });

  it('gives up at once on a refused destination: another try would be refused the same way', () => {
    const refused: AttemptOutcome = {
      kind: 'failed',
      error: PipelineError.permanent('webhook.destination-refused', '10.0.0.1 is private'),
      latencyMs: 1,
    };
    expect(decideAfterAttempt(refused, context(1)).kind).toBe('give-up');
  });

  it("honours Retry-After on 429 and 503, within the schedule's wait and its longest", () => {
    expect(delayOf(decideAfterAttempt(answered(429, { 'retry-after': '120' }), context(1)))).toBe(120_000);
    expect(delayOf(decideAfterAttempt(answered(503, { 'retry-after': '1' }), context(2)))).toBe(300_000);
    expect(delayOf(decideAfterAttempt(answered(503, { 'retry-after': '999999' }), context(1)))).toBe(
      36_000_000,
    );
    const date = new Date(now.getTime() + 600_000).toUTCString();
    expect(delayOf(decideAfterAttempt(answered(503, { 'retry-after': date }), context(1)))).toBe(600_000);
    // Not on other statuses, and not when malformed.
    expect(delayOf(decideAfterAttempt(answered(500, { 'retry-after': '120' }), context(1)))).toBe(5_000);
    expect(delayOf(decideAfterAttempt(answered(429, { 'retry-after': 'soon' }), context(1)))).toBe(5_000);
  });
});

describe('retryAfterMs', () => {
  it('reads delta-seconds and HTTP-dates, a past date as 0', () => {
    expect(retryAfterMs('30', now)).toBe(30_000);
    expect(retryAfterMs('Sun, 06 Dec 2026 10:01:00 GMT', now)).toBe(60_000);
    expect(retryAfterMs('Sun, 06 Dec 2026 09:00:00 GMT', now)).toBe(0);
    expect([retryAfterMs(undefined, now), retryAfterMs('-5', now), retryAfterMs('1.5', now)]).toEqual([
      undefined,
      undefined,
      undefined,
    ]);
  });
});
