import { PassThrough, Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { chooseProgress } from '../../../hosts/cli/progress-choice';
import type { ProgressSetting } from '../../../hosts/cli/progress-choice';
import { PlainLineProgress } from '../../../infra/progress/plain-line-progress';
import { TerminalBarProgress } from '../../../infra/progress/terminal-bar-progress';
import { silentProgress } from '../../../shared/progress';

const terminal = Object.assign(new PassThrough(), { isTTY: true });
const pipe = new PassThrough();

const setting = (overrides: Partial<ProgressSetting>): ProgressSetting => ({
  enabled: true,
  stream: terminal,
  stdoutIsTerminal: false,
  outputWhileWorking: false,
  env: {},
  ...overrides,
});

const choose = (overrides: Partial<ProgressSetting>) =>
  chooseProgress('azl-rebuilder test', setting(overrides));

describe('chooseProgress', () => {
  it('a bar when stderr is a terminal', () => {
    expect(choose({})).toBeInstanceOf(TerminalBarProgress);
    expect(choose({ stdoutIsTerminal: true })).toBeInstanceOf(TerminalBarProgress); // output comes after
    expect(choose({ outputWhileWorking: true })).toBeInstanceOf(TerminalBarProgress); // output to a file
  });

  it('plain lines when stderr is not a terminal, in CI, or when output streams to the same terminal', () => {
    expect(choose({ stream: pipe })).toBeInstanceOf(PlainLineProgress);
    expect(choose({ env: { CI: 'true' } })).toBeInstanceOf(PlainLineProgress);
    expect(choose({ env: { CI: '1' } })).toBeInstanceOf(PlainLineProgress);
    expect(choose({ outputWhileWorking: true, stdoutIsTerminal: true })).toBeInstanceOf(PlainLineProgress);
  });

  it('CI set to empty, 0 or false is not CI', () => {
    for (const CI of ['', '0', 'false', 'FALSE'])
      expect(choose({ env: { CI } }), `CI=${CI}`).toBeInstanceOf(TerminalBarProgress);
  });

  it('plain lines keep to the interval given (--progress-interval)', () => {
    let text = '';
    const stream = new Writable({
      write(chunk: Buffer, _encoding, done) {
        text += chunk.toString();
        done();
      },
    });
    const task = choose({ stream, intervalMs: 0 }).begin(2, 'steps');
    task.advance();
    task.finish();
    expect(text.split('\n')).toEqual([
      expect.stringMatching(/^azl-rebuilder test: 1\/2 steps \(50%\)/),
      expect.stringMatching(/^azl-rebuilder test: 1\/2 steps in /),
      '',
    ]);
  });

  it('nothing with --no-progress, terminal or not', () => {
    expect(choose({ enabled: false })).toBe(silentProgress);
    expect(choose({ enabled: false, stream: pipe })).toBe(silentProgress);
  });
});
