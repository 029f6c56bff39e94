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

/** Live processes (zombies excluded) whose command line is exactly `argv`. */
export function liveProcesses(argv: readonly string[]): number[] {
  const out = execFileSync('ps', ['-eo', 'pid=,stat=,args='], { encoding: 'utf8' });
  return out
    .split('\n')
    .map((line) => /^\s*(\d+)\s+(\S+)\s+(.*)$/.exec(line))
    .filter((m): m is RegExpExecArray => m !== null && !m[2]?.startsWith('Z') && m[3] === argv.join(' '))
    .map((m) => Number(m[1]));
}
