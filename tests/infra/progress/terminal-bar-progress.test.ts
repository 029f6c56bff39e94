import { Writable } from 'node:stream';
import { stripVTControlCharacters } from 'node:util';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { TerminalBarProgress } from '../../../infra/progress/terminal-bar-progress';

/** A stream that says it is a 100-column terminal and keeps what is written. */
function fakeTerminal() {
  let text = '';
  const stream = Object.assign(
    new Writable({
      write(chunk: Buffer, _encoding, done) {
        text += chunk.toString();
        done();
      },
    }),
    { isTTY: true, columns: 100 },
  );
  return { stream, text: () => text };
}

/** The screen line the bar leaves: the text after the last cursor move to column 1, without escapes. */
const lastDrawn = (text: string): string =>
  stripVTControlCharacters(text.split('\x1b[1G').at(-1) ?? '').trimEnd();

// cli-progress reads Date.now and redraws on a timer: both come from vitest's fake clock.
beforeEach(() => {
  vi.useFakeTimers({ now: new Date('2026-01-01T00:00:00Z') });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('TerminalBarProgress', () => {
  it('draws a bar in place and redraws it as the work advances', () => {
    const terminal = fakeTerminal();
    const task = new TerminalBarProgress({
      stream: terminal.stream,
      label: 'azl-rebuilder repo index',
    }).begin(4, 'RPMs read');
    expect(lastDrawn(terminal.text())).toMatch(
      /^azl-rebuilder repo index \[-+\] 0% \| 0\/4 RPMs read \| ETA /,
    );
    task.advance();
    vi.advanceTimersByTime(200); // the bar's redraw timer (10 per second)
    expect(lastDrawn(terminal.text())).toMatch(/ 25% \| 1\/4 RPMs read /);
    expect(terminal.text()).toContain('\x1b[1G'); // back to column 1: redrawn in place, not a new line
    expect(terminal.text()).not.toContain('\n');
    task.advance(3);
    task.finish();
    expect(lastDrawn(terminal.text())).toMatch(/\[=+\] 100% \| 4\/4 RPMs read /);
    expect(terminal.text().endsWith('\n')).toBe(true); // the last state stays, the next output starts below
  });

  it('releases the terminal when it finishes: no timer left, cursor and line wrapping untouched', () => {
    const terminal = fakeTerminal();
    const task = new TerminalBarProgress({ stream: terminal.stream, label: 'azl-rebuilder replay' }).begin(
      2,
      'messages',
    );
    expect(vi.getTimerCount()).toBe(1);
    task.finish();
    task.finish();
    task.advance();
    expect(vi.getTimerCount()).toBe(0); // nothing keeps the process alive or draws after the command
    const written = terminal.text();
    expect(written).not.toContain('\x1b[?25l'); // cursor never hidden
    expect(written).not.toContain('\x1b[?7l'); // line wrapping never switched off
    expect(lastDrawn(written)).toMatch(/ 0% \| 0\/2 messages /);
    expect(written.match(/\n/g)).toHaveLength(1);
  });

  it('a label or unit with braces is not read as a cli-progress placeholder', () => {
    const terminal = fakeTerminal();
    const task = new TerminalBarProgress({ stream: terminal.stream, label: 'x {bar}' }).begin(1, '{total}');
    task.finish();
    expect(lastDrawn(terminal.text())).toMatch(/^x bar \[-+\] 0% \| 0\/1 total /);
  });
});
