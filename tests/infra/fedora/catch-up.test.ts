import { describe, expect, test } from 'vitest';
import { PipelineError } from '../../../shared/errors';
import { FakeDatagrepper } from '../../../testing/fedora/fake-datagrepper';
import { burst, messagesOver, T0 } from '../../../testing/fedora/fake-messages';
import { MemoryCheckpoints } from '../../../testing/fedora/catch-up-fakes';
import { CatchUpHarness } from '../../../testing/fedora/catch-up-harness';
import { useMsw } from '../../../testing/msw';

const server = useMsw();

const HOUR = 3600;
/** The runs' "now"; with the default 60 s lag they read up to HORIZON. */
const NOW = new Date((T0 + 12 * HOUR) * 1000);
const HORIZON = T0 + 12 * HOUR - 60;
const later = (seconds: number) => new Date(NOW.getTime() + seconds * 1000);

function expectEachAcceptedOnce(h: CatchUpHarness, ids: Set<string>): void {
  expect(h.sink.accepted).toEqual(ids);
  for (const count of h.sink.acceptedCount.values()) expect(count).toBe(1);
}

function secondsOf(h: CatchUpHarness, ids: readonly string[]): number[] {
  const byId = new Map(h.fake.messages.map((m) => [m.id, m.second]));
  return ids.map((id) => byId.get(id) ?? -1);
}

describe('runCatchUp', () => {
  test('first run: reads only the last 6 h up to now − lag, in time order, and commits the horizon', async () => {
    const fake = new FakeDatagrepper()
      .add(messagesOver(T0, HORIZON - 6 * HOUR, 300, 0)) // older than the first-run bound
      .add(messagesOver(HORIZON - 6 * HOUR + 1, HORIZON, 1_500, 1_000))
      .add(messagesOver(HORIZON + 1, HORIZON + 59, 20, 5_000)); // inside the lag
    const h = new CatchUpHarness(server, fake);
    const result = await h.run(NOW);

    expectEachAcceptedOnce(h, h.idsIn(HORIZON - 6 * HOUR + 1, HORIZON));
    expect(result).toMatchObject({
      windows: 36,
      messages: 1_500,
      submitted: 1_500,
      outcomes: { accepted: 1_500, duplicate: 0, ignored: 0, rejected: 0 },
      checkpointBefore: undefined,
      checkpointAfter: { through: HORIZON },
      ended: 'caught-up',
      behindSeconds: 0,
    });
    expect(result.requests).toBe(fake.requests.length);
    const seconds = secondsOf(h, h.sink.received);
    expect(seconds).toEqual([...seconds].sort((a, b) => a - b));
    expect(h.sink.sources).toEqual(new Set(['datagrepper']));
    for (const request of fake.requests) {
      expect(request.start).toBeGreaterThan(HORIZON - 6 * HOUR);
      expect(request.end).toBeLessThanOrEqual(HORIZON);
      expect(request.rowsPerPage).toBe(100);
    }
    expect((h.checkpoints as MemoryCheckpoints).commits).toHaveLength(36);
  });

  test('next run: re-reads the overlap, picks up a late arrival inside it, accepts nothing twice', async () => {
    const fake = new FakeDatagrepper().add(messagesOver(HORIZON - HOUR, HORIZON, 600, 0));
    const h = new CatchUpHarness(server, fake, new MemoryCheckpoints(HORIZON - HOUR));
    await h.run(NOW);
    const lateInOverlap = messagesOver(HORIZON - 300, HORIZON - 300, 1, 10_000);
    const lateBeyondOverlap = messagesOver(HORIZON - 2_000, HORIZON - 2_000, 1, 10_001);
    fake
      .add([...lateInOverlap, ...lateBeyondOverlap])
      .add(messagesOver(HORIZON + 1, HORIZON + 300, 50, 20_000));

    const second = await h.run(later(300), { overlapSeconds: 900 });
    expect(second.checkpointBefore).toEqual({ through: HORIZON });
    expect(second.checkpointAfter).toEqual({ through: HORIZON + 300 });
    expect(second.outcomes.accepted).toBe(51);
    expect(second.outcomes.duplicate).toBe(h.idsIn(HORIZON - 899, HORIZON).size - 1);
    expect(h.sink.accepted.has(lateInOverlap[0]?.id ?? '')).toBe(true);
    // Documented limit: later than the overlap is too late (research §3.5: reconcile from the source systems).
    expect(h.sink.accepted.has(lateBeyondOverlap[0]?.id ?? '')).toBe(false);
    for (const count of h.sink.acceptedCount.values()) expect(count).toBe(1);
  });

  test('a window datagrepper counts more than 2,000 rows in is cut before it is read', async () => {
    const fake = new FakeDatagrepper().add(messagesOver(HORIZON - 599, HORIZON, 5_000, 0));
    const h = new CatchUpHarness(server, fake);
    const result = await h.run(NOW, { firstRunBackfillSeconds: 600 });

    expectEachAcceptedOnce(h, h.idsIn(HORIZON - 599, HORIZON));
    expect(result.checkpointAfter).toEqual({ through: HORIZON });
    const deepPages = fake.requests.filter((r) => r.page > 1);
    for (const r of deepPages) expect(h.idsIn(r.start, r.end).size).toBeLessThanOrEqual(2_000);
    expect(result.windows).toBeGreaterThan(2);
    // one wasted first page per cut, the rest is reading: 50 pages of 100
    expect(result.requests).toBeLessThan(50 + 2 * result.windows);
  });

  test('a burst of 800 in one second while more land in it: re-read until complete, each accepted once', async () => {
    const S = HORIZON - 100;
    const fake = new FakeDatagrepper()
      .add(messagesOver(HORIZON - 599, HORIZON, 100, 0))
      .add(burst(S, 800, 1_000))
      // datanommer still storing the burst while the window is read: rows land between pages
      .arriveAfter(2, burst(S, 40, 2_000))
      .arriveAfter(4, burst(S, 40, 3_000))
      .arriveAfter(7, burst(S, 40, 4_000));
    const h = new CatchUpHarness(server, fake);
    const result = await h.run(NOW, { firstRunBackfillSeconds: 600 });

    expectEachAcceptedOnce(h, h.idsIn(HORIZON - 599, HORIZON));
    expect(h.sink.accepted.size).toBe(1_020);
    expect(h.sink.received).toHaveLength(1_020);
    // pages moved under the reader, so the window was read more than once
    expect(fake.requests.filter((r) => r.page === 1).length).toBeGreaterThan(1);
    expect(result.checkpointAfter).toEqual({ through: HORIZON });
  });

  test('a burst whose row order changes between requests still converges in a few passes', async () => {
    const S = HORIZON - 10;
    const fake = new FakeDatagrepper({ reshuffleEvery: 3 }).add(burst(S, 450, 0));
    const h = new CatchUpHarness(server, fake);
    const result = await h.run(NOW, { firstRunBackfillSeconds: 60, maxPassesPerWindow: 12 });
    expectEachAcceptedOnce(h, h.idsIn(S, S));
    expect(result.ended).toBe('caught-up');
  });

  test('a window that will not add up fails the run (retryable); the checkpoint stays', async () => {
    const fake = new FakeDatagrepper({ reshuffleEvery: 1 }).add(burst(HORIZON - 10, 500, 0));
    const h = new CatchUpHarness(server, fake, new MemoryCheckpoints(HORIZON - 60));
    const error = await h.failingRun(NOW, { maxPassesPerWindow: 2 });
    expect(error).toMatchObject({ code: 'datagrepper.incomplete-window', retryable: true });
    expect((error as PipelineError).context).toMatchObject({ total: 500, passes: 2 });
    expect((h.checkpoints as MemoryCheckpoints).through).toBe(HORIZON - 60);
    expect(h.sink.calls).toBe(0);
  });

  test('502, 504 and timeouts on the way are retried with backoff and lose nothing', async () => {
    const fake = new FakeDatagrepper({ hangMs: 200 }).add(
      messagesOver(HORIZON - 2 * HOUR + 1, HORIZON, 2_400, 0),
    );
    fake.fail((r) => (r.n % 7 === 3 ? { status: 502 } : r.n % 11 === 5 ? { status: 504 } : undefined));
    fake.fail((r) => (r.n % 13 === 0 ? 'hang' : undefined));
    const h = new CatchUpHarness(server, fake);
    const result = await h.run(NOW, { firstRunBackfillSeconds: 2 * HOUR });

    expectEachAcceptedOnce(h, h.idsIn(HORIZON - 2 * HOUR + 1, HORIZON));
    expect(h.waits.length).toBeGreaterThan(5);
    expect(result.requests).toBe(fake.requests.length);
    expect(result.checkpointAfter).toEqual({ through: HORIZON });
  });

  test('restart after datagrepper went down mid-run: committed windows stay, nothing lost or accepted twice', async () => {
    const fake = new FakeDatagrepper().add(messagesOver(HORIZON - 6 * HOUR + 1, HORIZON, 2_000, 0));
    fake.fail((r) => (r.n > 20 ? { status: 502 } : undefined));
    const checkpoints = new MemoryCheckpoints();
    const h = new CatchUpHarness(server, fake, checkpoints);

    const error = await h.failingRun(NOW);
    expect(error).toMatchObject({ code: 'datagrepper.unavailable', retryable: true });
    const reached = checkpoints.through ?? 0;
    expect(reached).toBeGreaterThan(HORIZON - 6 * HOUR);
    expect(reached).toBeLessThan(HORIZON);
    expect(h.sink.accepted).toEqual(h.idsIn(HORIZON - 6 * HOUR + 1, reached));
    expect(h.logs.some((l) => l.level === 'error' && l.checkpoint === reached)).toBe(true);

    fake.clearFaults();
    const second = await h.run(later(120));
    expect(second.checkpointBefore).toEqual({ through: reached });
    expectEachAcceptedOnce(h, h.idsIn(HORIZON - 6 * HOUR + 1, HORIZON + 120));
    // ids handed over twice are exactly those re-read in the overlap
    const twice = h.sink.received.filter((id, i, all) => all.indexOf(id) !== i);
    expect(new Set(twice)).toEqual(h.idsIn(reached - 899, reached));
  });

  test('restart after the sink failed half-way through a window: the rest is queued by the next run', async () => {
    const fake = new FakeDatagrepper().add(messagesOver(HORIZON - HOUR + 1, HORIZON, 1_200, 0));
    const checkpoints = new MemoryCheckpoints();
    const h = new CatchUpHarness(server, fake, checkpoints);
    h.sink.failOnCall = 3;

    const error = await h.failingRun(NOW, { firstRunBackfillSeconds: HOUR });
    expect(error).toMatchObject({ code: 'servicebus.unavailable', retryable: true });
    // windows of 600 s hold 200 messages each, one sink call per window: two committed
    expect(checkpoints.through).toBe(HORIZON - HOUR + 1_200);
    expect(h.sink.accepted.size).toBe(500);

    const second = await h.run(NOW, { firstRunBackfillSeconds: HOUR });
    expectEachAcceptedOnce(h, h.idsIn(HORIZON - HOUR + 1, HORIZON));
    expect(second.outcomes.accepted).toBe(700);
    expect(second.outcomes.duplicate).toBe(
      h.idsIn(HORIZON - HOUR + 1_200 - 899, HORIZON - HOUR + 1_200).size + 100,
    );
  });

  test('a malformed page fails the run (retryable) naming URL and window; committed windows stay', async () => {
    const fake = new FakeDatagrepper().add(messagesOver(HORIZON - HOUR + 1, HORIZON, 300, 0));
    fake.fail((r) => (r.n === 4 ? 'malformed' : undefined));
    const checkpoints = new MemoryCheckpoints();
    const h = new CatchUpHarness(server, fake, checkpoints);
    const error = await h.failingRun(NOW, { firstRunBackfillSeconds: HOUR });
    expect(error).toMatchObject({ code: 'datagrepper.malformed-response', retryable: true });
    const context = (error as PipelineError).context;
    expect(context.url).toContain(`start=${HORIZON - HOUR + 1 + 3 * 600}`);
    expect(context.window).toMatch(/^2025-11-18T\d\d:\d\d:\d\dZ\.\.2025-11-18T/);
    expect(checkpoints.through).toBe(HORIZON - HOUR + 3 * 600);
  });

  test('lost race: another run moved the checkpoint first; this one stops without error and says so', async () => {
    const fake = new FakeDatagrepper().add(messagesOver(HORIZON - HOUR + 1, HORIZON, 300, 0));
    const checkpoints = new MemoryCheckpoints(HORIZON - HOUR);
    const h = new CatchUpHarness(server, fake, checkpoints);
    const submit = h.sink.submit.bind(h.sink);
    h.sink.submit = async (messages, source) => {
      checkpoints.competitor(HORIZON);
      return submit(messages, source);
    };
    const result = await h.run(NOW);
    // the first window lies inside the overlap (nothing to commit); the second one's commit loses
    expect(result).toMatchObject({
      ended: 'lost-race',
      windows: 1,
      checkpointAfter: { through: HORIZON - HOUR },
    });
    expect(checkpoints.through).toBe(HORIZON);
    expect(checkpoints.commits).toEqual([]);
    expect(h.logs.some((l) => l.level === 'warn' && /moved the checkpoint first/.test(String(l.msg)))).toBe(
      true,
    );
  });

  test('a long backlog is read in bounded runs (span limit) and within a time budget', async () => {
    const fake = new FakeDatagrepper().add(messagesOver(HORIZON - 10 * HOUR + 1, HORIZON, 1_000, 0));
    const checkpoints = new MemoryCheckpoints(HORIZON - 10 * HOUR);
    const h = new CatchUpHarness(server, fake, checkpoints);
    const first = await h.run(NOW);
    expect(first).toMatchObject({ ended: 'span-limit', behindSeconds: 4 * HOUR });
    expect(checkpoints.through).toBe(HORIZON - 4 * HOUR);

    let ticks = 0;
    const clock = () => new Date(NOW.getTime() + 60_000 * ticks++);
    const second = await h.run(NOW, { maxRunMs: 180_000 }, clock);
    expect(second).toMatchObject({ ended: 'time-budget', windows: 2 });

    const third = await h.run(NOW);
    expect(third.ended).toBe('caught-up');
    expectEachAcceptedOnce(h, h.idsIn(HORIZON - 10 * HOUR + 1, HORIZON));
  });

  test('nothing new since the checkpoint: no request at all', async () => {
    const fake = new FakeDatagrepper().add(messagesOver(HORIZON - HOUR, HORIZON, 100, 0));
    const h = new CatchUpHarness(server, fake, new MemoryCheckpoints(HORIZON));
    const result = await h.run(NOW);
    expect(result).toMatchObject({
      windows: 0,
      requests: 0,
      ended: 'caught-up',
      checkpointAfter: { through: HORIZON },
    });
    expect(fake.requests).toHaveLength(0);
  });

  test('topic filters go to datagrepper', async () => {
    const fake = new FakeDatagrepper().add(messagesOver(HORIZON - 599, HORIZON, 50, 0));
    const h = new CatchUpHarness(server, fake);
    const topics = ['org.fedoraproject.prod.buildsys.untag'];
    const result = await h.run(NOW, { firstRunBackfillSeconds: 600, topics });
    expect(result.messages).toBe(0);
    expect(fake.requests[0]?.url.searchParams.getAll('topic')).toEqual(topics);
  });

  test('invalid options are refused before anything is read', async () => {
    const h = new CatchUpHarness(server, new FakeDatagrepper());
    const error = await h.failingRun(NOW, { rowsPerPage: 500 });
    expect(error).toMatchObject({ code: 'catch-up.invalid-options', retryable: false });
    expect(PipelineError.is(error)).toBe(true);
  });
});
