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
  it('a bar when stderr is a terminal', async () => {
    await expect(choose({})).resolves.toBeInstanceOf(TerminalBarProgress);
    await expect(choose({ stdoutIsTerminal: true })).resolves.toBeInstanceOf(TerminalBarProgress); // output comes after
    await expect(choose({ outputWhileWorking: true })).resolves.toBeInstanceOf(TerminalBarProgress); // output to a file
  });

  it('plain lines when stderr is not a terminal, in CI, or when output streams to the same terminal', async () => {
    await expect(choose({ stream: pipe })).resolves.toBeInstanceOf(PlainLineProgress);
    await expect(choose({ env: { CI: 'true' } })).resolves.toBeInstanceOf(PlainLineProgress);
    await expect(choose({ env: { CI: '1' } })).resolves.toBeInstanceOf(PlainLineProgress);
    await expect(choose({ outputWhileWorking: true, stdoutIsTerminal: true })).resolves.toBeInstanceOf(
      PlainLineProgress,
    );
  });

  it('CI set to empty, 0 or false is not CI', async () => {
    for (const CI of ['', '0', 'false', 'FALSE'])
      await expect(choose({ env: { CI } }), `CI=${CI}`).resolves.toBeInstanceOf(TerminalBarProgress);
  });

  it('plain lines keep to the interval given (--progress-interval)', async () => {
    let text = '';
    const stream = new Writable({
      write(chunk: Buffer, _encoding, done) {
        text += chunk.toString();
        done();
      },
    });
    const task = (await choose({ stream, intervalMs: 0 })).begin(2, 'steps');
    task.advance();
    task.finish();
    expect(text.split('\n')).toEqual([
      expect.stringMatching(/^azl-rebuilder test: 1\/2 steps \(50%\)/),
      expect.stringMatching(/^azl-rebuilder test: 1\/2 steps in /),
      '',
    ]);
  });

  it('nothing with --no-progress, terminal or not', async () => {
    await expect(choose({ enabled: false })).resolves.toBe(silentProgress);
    await expect(choose({ enabled: false, stream: pipe })).resolves.toBe(silentProgress);
  });
});
