import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { duration, PlainLineProgress } from '../../../infra/progress/plain-line-progress';

/** A stream that keeps what is written, and a clock the test moves. */
function harness(intervalMs = 5_000) {
  let text = '';
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      text += chunk.toString();
      done();
    },
  });
  let now = 1_000_000;
  const progress = new PlainLineProgress({
    stream,
    label: 'azl-rebuilder replay',
    now: () => now,
    intervalMs,
  });
  return {
    progress,
    lines: () => text.split('\n').filter((line) => line !== ''),
    raw: () => text,
    tick: (ms: number) => (now += ms),
  };
}

describe('PlainLineProgress', () => {
  it('writes at most one line per interval while the work runs, then a summary', () => {
    const { progress, lines, raw, tick } = harness();
    const task = progress.begin(100, 'messages');
    for (let i = 0; i < 10; i += 1) {
      tick(100);
      task.advance(); // 10 items within one second: no line yet
    }
    expect(lines()).toEqual([]);
    tick(4_000); // 5 s since the start
    task.advance(10);
    tick(1_000);
    task.advance(30); // 1 s after the last line: none
    tick(4_000);
    task.advance(); // 5 s after the last line
    tick(2_500);
    task.advance(49);
    task.finish();
    expect(lines()).toEqual([
      'azl-rebuilder replay: 20/100 messages (20%), 5.0 s, about 20.0 s left',
      'azl-rebuilder replay: 51/100 messages (51%), 10.0 s, about 9.6 s left',
      'azl-rebuilder replay: 100/100 messages in 12.5 s',
    ]);
    expect(raw()).not.toContain('\x1b'); // no cursor control: a log shows it as it is
    expect(raw()).not.toContain('\r');
  });

  it('a run that ends within the first interval prints nothing, not even the summary', () => {
    const { progress, lines, tick } = harness();
    const task = progress.begin(3, 'RPMs read');
    task.advance();
    task.advance(2);
    tick(4_999);
    task.finish();
    expect(lines()).toEqual([]);
  });

  it('the summary comes once, with the count reached when the work stopped early', () => {
    const { progress, lines, tick } = harness(1_000);
    const task = progress.begin(10, 'messages');
    tick(1_000);
    task.advance(4);
    task.finish();
    task.finish();
    task.advance(); // after finish: ignored
    expect(lines()).toEqual([
      'azl-rebuilder replay: 4/10 messages (40%), 1.0 s, about 1.5 s left',
      'azl-rebuilder replay: 4/10 messages in 1.0 s',
    ]);
  });

  it('an interval of 0 prints a line at every advance', () => {
    const { progress, lines } = harness(0);
    const task = progress.begin(2, 'RPMs uploaded');
    task.advance();
    task.advance();
    task.finish();
    expect(lines()).toEqual([
      'azl-rebuilder replay: 1/2 RPMs uploaded (50%), 0.0 s, about 0.0 s left',
      'azl-rebuilder replay: 2/2 RPMs uploaded (100%), 0.0 s',
      'azl-rebuilder replay: 2/2 RPMs uploaded in 0.0 s',
    ]);
  });

  it('durations read as seconds, minutes or hours', () => {
    expect(duration(4_249)).toBe('4.2 s');
    expect(duration(59_940)).toBe('59.9 s');
    expect(duration(187_400)).toBe('3 min 07 s');
    expect(duration(7_500_000)).toBe('2 h 05 min');
  });
});
