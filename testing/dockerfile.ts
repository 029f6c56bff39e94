import { posix } from 'node:path';

/**
 * A Dockerfile read as text, for tests that hold the build images (builder/Dockerfile,
 * infra/images/image-builder.Dockerfile) to the code that starts and runs them: no container engine here.
 * Enough of the syntax for those files: comments, `\` continuations, stages split at each FROM, exec-form
 * JSON, `ENV A=1 B=2`, WORKDIR resolution and the packages of `dnf install` runs.
 */
export interface Instruction {
  readonly keyword: string;
  readonly args: string;
}

/** Instructions (comments dropped, `\` continuations joined), split into stages at each FROM. */
export function parseDockerfile(text: string): Instruction[][] {
  const logical: string[] = [];
  let pending = '';
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line.startsWith('#') || (line === '' && pending === '')) continue;
    if (line.endsWith('\\')) {
      pending += `${line.slice(0, -1)} `;
      continue;
    }
    logical.push(`${pending}${line}`.trim());
    pending = '';
  }
  if (pending !== '') throw new Error('a continuation line ends the file');
  const stages: Instruction[][] = [];
  for (const line of logical.filter(Boolean)) {
    const match = /^([A-Za-z]+)\s+(.*)$/.exec(line);
    if (!match?.[1] || match[2] === undefined) throw new Error(`not a Dockerfile instruction: ${line}`);
    const instruction = { keyword: match[1].toUpperCase(), args: match[2].trim() };
    if (instruction.keyword === 'FROM' || stages.length === 0) stages.push([]);
    stages[stages.length - 1]?.push(instruction);
  }
  return stages;
}

/** An exec-form instruction's JSON array of strings; throws for a missing instruction or the shell form. */
export function execForm(instruction: Instruction | undefined): string[] {
  if (instruction === undefined) throw new Error('instruction missing');
  const parsed: unknown = JSON.parse(instruction.args);
  if (!Array.isArray(parsed) || !parsed.every((part) => typeof part === 'string')) {
    throw new Error(`${instruction.keyword} ${instruction.args} is not the exec form`);
  }
  return parsed as string[];
}

/** `ENV A=1 B=2` (the only form these files use) as name/value pairs. */
export function envOf(stage: readonly Instruction[]): Map<string, string> {
  return new Map(
    stage
      .filter((i) => i.keyword === 'ENV')
      .flatMap((i) => i.args.split(/\s+/))
      .map((pair) => {
        const [name = '', ...value] = pair.split('=');
        if (value.length === 0) throw new Error(`ENV ${pair} is not NAME=value`);
        return [name, value.join('=')] as const;
      }),
  );
}

/** The stage's last instruction of `keyword` (the one in effect for CMD, ENTRYPOINT, USER). */
export function lastOf(stage: readonly Instruction[], keyword: string): Instruction | undefined {
  return stage.filter((i) => i.keyword === keyword).at(-1);
}

/** The folder a relative path lands in: the stage's WORKDIR in effect before `index`. */
export function workdirAt(stage: readonly Instruction[], index: number): string {
  return stage
    .slice(0, index)
    .filter((i) => i.keyword === 'WORKDIR')
    .reduce((dir, i) => posix.resolve(dir, i.args), '/');
}

/** The package names of the stage's `dnf install` runs (options dropped). */
export function dnfPackages(stage: readonly Instruction[]): string[] {
  return stage
    .filter((i) => i.keyword === 'RUN')
    .flatMap((i) => [...i.args.matchAll(/dnf install ((?:-\S+\s+)*)([^&|;]+)/g)])
    .flatMap((m) => (m[2] ?? '').split(/\s+/).filter((word) => word !== '' && !word.startsWith('-')));
}
