import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';

/** `rpm -qp <query>` of one package file, one line per item. */
export function rpmQuery(file: string, ...query: string[]): string[] {
  return execFileSync('rpm', ['-qp', '--nosignature', ...query, file], { encoding: 'utf8' })
    .split('\n')
    .filter((line) => line !== '');
}

/** Unpacks a package's payload into `dest` (rpm2archive, since this machine has no cpio). */
export function extractRpm(file: string, dest: string): string {
  mkdirSync(dest, { recursive: true });
  execFileSync('sh', ['-c', 'rpm2archive - < "$1" | tar -xzf - -C "$2"', 'sh', file, dest]);
  return dest;
}

/** Live processes (zombies excluded) whose command line is `argv` or, given a string, mentions it. */
export function liveProcesses(match: readonly string[] | string): number[] {
  const out = execFileSync('ps', ['-eo', 'pid=,stat=,args='], { encoding: 'utf8' });
  const matches = (args: string): boolean =>
    typeof match === 'string' ? args.includes(match) : args === match.join(' ');
  return out
    .split('\n')
    .map((line) => /^\s*(\d+)\s+(\S+)\s+(.*)$/.exec(line))
    .filter((m): m is RegExpExecArray => m !== null && !m[2]?.startsWith('Z') && matches(m[3] ?? ''))
    .map((m) => Number(m[1]));
}
