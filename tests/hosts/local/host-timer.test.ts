import type { InvocationContext, Timer, TimerHandler } from '@azure/functions';
import { describe, expect, it } from 'vitest';
import type { TestContext } from 'vitest';
import type { TimerFunction } from '../../../functions/table';
import { parseNcrontab } from '../../../hosts/local/functions-host/ncrontab';
import { startTimerScheduler } from '../../../hosts/local/functions-host/timer-scheduler';
import type {
  TimerScheduler,
  TimerSchedulerOptions,
} from '../../../hosts/local/functions-host/timer-scheduler';
import { createJsonLogger } from '../../../infra/telemetry/logger';
import { PipelineError } from '../../../shared/errors';

/*
 * Real time, kept short: every timing test runs concurrently, each within about 2.5 s of `*\/1` ticks, and
 * asserts counts with slack (a tick lands on each whole second, so 2.5 s holds at least two).
 */
const EVERY_SECOND = '*/1 * * * * *';
const NEVER_SOON = '0 0 0 1 1 *';
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function harness() {
  const lines: Record<string, unknown>[] = [];
  const logger = createJsonLogger({ level: 'debug', sink: (line) => lines.push(JSON.parse(line)) });
  const calls: { timer: Timer; context: InvocationContext }[] = [];
  const record =
    (body: () => Promise<void> | void = () => undefined): TimerHandler =>
    async (timer, context) => {
      calls.push({ timer, context });
      await body();
    };
  const timer = (
    name: string,
    schedule: string,
    handler: TimerHandler,
    runOnStartup = false,
  ): TimerFunction => ({
    kind: 'timer',
    name,
    schedule,
    runOnStartup,
    handler,
  });
  return { lines, logger, calls, record, timer };
}

/** Starts a scheduler that is stopped when its test finishes (per test: the timing tests run concurrently). */
function start(ctx: TestContext, options: TimerSchedulerOptions): TimerScheduler {
  const scheduler = startTimerScheduler(options);
  ctx.onTestFinished(() => scheduler.stop());
  return scheduler;
}

describe.concurrent('local host timer scheduler', () => {
  it('fires a six-field every-second schedule repeatedly, on time', async (ctx) => {
    const h = harness();
    start(ctx, { functions: [h.timer('tick', EVERY_SECOND, h.record())], logger: h.logger });
    await sleep(2_500);
    expect(h.calls.length).toBeGreaterThanOrEqual(2);
    for (const { timer, context } of h.calls) {
      expect(timer.isPastDue).toBe(false);
      expect(timer.schedule).toEqual({ adjustForDST: false });
      expect(Date.parse(timer.scheduleStatus.next)).toBeGreaterThan(Date.parse(timer.scheduleStatus.last));
      expect(context.functionName).toBe('tick');
    }
  });

  it('runs once at start with runOnStartup', async (ctx) => {
    const h = harness();
    start(ctx, { functions: [h.timer('boot', NEVER_SOON, h.record(), true)], logger: h.logger });
    await sleep(100);
    expect(h.calls).toHaveLength(1);
    expect(h.calls[0]?.timer.isPastDue).toBe(false);
  });

  it('never overlaps two runs of the same function and logs the skipped occurrence', async (ctx) => {
    const h = harness();
    let active = 0;
    let maxActive = 0;
    const slow = h.record(async () => {
      maxActive = Math.max(maxActive, ++active);
      await sleep(1_300);
      active--;
    });
    start(ctx, { functions: [h.timer('slow', EVERY_SECOND, slow)], logger: h.logger });
    await sleep(2_500);
    expect(maxActive).toBe(1);
    expect(h.calls.length).toBeLessThanOrEqual(2);
    expect(h.lines.some((l) => l.functionName === 'slow' && String(l.msg).includes('skipped'))).toBe(true);
  });

  it('keeps firing after the handler throws, logging each failure', async (ctx) => {
    const h = harness();
    const failing = h.record(() => {
      throw new Error('tick failed');
    });
    start(ctx, { functions: [h.timer('flaky', EVERY_SECOND, failing)], logger: h.logger });
    await sleep(2_500);
    expect(h.calls.length).toBeGreaterThanOrEqual(2);
    const failures = h.lines.filter((l) => l.msg === 'timer function failed');
    expect(failures.length).toBe(h.calls.length);
    expect(failures[0]).toMatchObject({ functionName: 'flaky', error: { message: 'tick failed' } });
  });

  it('stop() waits for the running invocation and cancels further runs', async (ctx) => {
    const h = harness();
    let finished = false;
    const handler = h.record(async () => {
      await sleep(300);
      finished = true;
    });
    const scheduler = start(ctx, {
      functions: [h.timer('stoppable', EVERY_SECOND, handler, true)],
      logger: h.logger,
    });
    await sleep(50);
    await scheduler.stop();
    expect(finished).toBe(true);
    await sleep(1_200);
    expect(h.calls).toHaveLength(1);
    await scheduler.stop();
  });
});

describe('NCRONTAB validation', () => {
  it.each([
    '* * * * *',
    '0 0 * * * * *',
    '61 * * * * *',
    '0 0 0 L * *',
    '0 0 0 * * 1#2',
    '@daily',
    'every minute',
  ])('rejects %j at start, naming the function and the schedule', (schedule) => {
    const h = harness();
    let thrown: unknown;
    try {
      startTimerScheduler({ functions: [h.timer('bad-timer', schedule, h.record())], logger: h.logger });
    } catch (error) {
      thrown = error;
    }
    expect(PipelineError.is(thrown, 'host.invalid-schedule')).toBe(true);
    expect((thrown as PipelineError).message).toContain('bad-timer');
    expect((thrown as PipelineError).message).toContain(schedule);
  });

  it('starts nothing when one schedule of several is invalid', async () => {
    const h = harness();
    const functions = [
      h.timer('good', EVERY_SECOND, h.record(), true),
      h.timer('bad', '*/5 * * * *', h.record()),
    ];
    expect(() => startTimerScheduler({ functions, logger: h.logger })).toThrow(/bad/);
    await sleep(50);
    expect(h.calls).toHaveLength(0);
  });

  it('computes occurrences in UTC with names for months and days', () => {
    const weekdays = parseNcrontab('f', '0 30 9 * * MON-FRI');
    // Saturday 2024-06-01 -> Monday 2024-06-03 09:30:00Z.
    expect(weekdays.next(new Date('2024-06-01T12:00:00Z')).toISOString()).toBe('2024-06-03T09:30:00.000Z');
    expect(parseNcrontab('f', '0 */5 * * * *').next(new Date('2024-06-01T12:03:10Z')).toISOString()).toBe(
      '2024-06-01T12:05:00.000Z',
    );
  });
});
