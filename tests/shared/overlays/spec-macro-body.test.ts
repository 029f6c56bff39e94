import { describe, expect, it } from 'vitest';
import type { MacroBodyState } from '../../../shared/overlays/spec-macro-body';
import { MACRO_BODY_START, macroBodyStateAfter } from '../../../shared/overlays/spec-macro-body';

/**
 * How many lines a `%define`/`%global` body takes, by azldev's lexical rules (DEV `internal/rpm/spec/tree.go`
 * `macroBodyStateAfter`), on bodies written for these tests.
 */
function bodyLength(lines: readonly string[]): number | 'unterminated' {
  let state: MacroBodyState = MACRO_BODY_START;
  for (const [index, line] of lines.entries()) {
    let continues: boolean;
    [state, continues] = macroBodyStateAfter(line, state);
    if (!continues) return index + 1;
  }
  return 'unterminated';
}

describe('macroBodyStateAfter', () => {
  it.each<[string, string[], number | 'unterminated']>([
    ['a one-line definition', ['%global v 1.0', '%build'], 1],
    ['`\\` continuations', ['%define d \\', 'a \\', 'b', '%build'], 3],
    ['an open %{expand:', ['%global e %{expand:', '%if 0', '}', '%build'], 3],
    ['a balanced %{?x:…} on one line', ['%global c %{?with_x:1}%{!?with_x:0}', '%build'], 1],
    ['%% escapes: `%%{` braces nest until closed', ['%global l %%{literal', '}', '%build'], 2],
    ['an escaped %%{…} closed on its line', ['%global l %%{literal}', '%build'], 1],
    ['${…} shell braces inside an expansion', ['%global s %{expand:', 'echo ${HOME}', '}', '%build'], 3],
    [
      'a %{lua: body whose strings and comments hold braces',
      ['%global p %{lua:', 'local s = "}"  -- a } here', 'local t = [[ } ]]', 'print(s)', '}', '%build'],
      5,
    ],
    ['a body left open at the end', ['%global broken %{expand:', 'text'], 'unterminated'],
  ])('%s', (_, lines, expected) => {
    expect(bodyLength(lines)).toBe(expected);
  });
});
