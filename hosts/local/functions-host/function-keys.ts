import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { AuthLevel } from '../../../functions/table';

/**
 * Function keys of the local host. `default` plays the host's default function key; `master`, when given,
 * plays the master (admin) key. As on Azure, the master key also opens `function` routes and only the master
 * key opens `admin` routes; without a configured master, `admin` routes take the default key instead.
 */
export interface FunctionKeys {
  readonly default: string;
  readonly master?: string;
}

/** The key a caller presents: the `x-functions-key` header, else the `code` query parameter. */
export function presentedKey(headers: IncomingHttpHeaders, query: URLSearchParams): string | undefined {
  const header = headers['x-functions-key'];
  const fromHeader = Array.isArray(header) ? header[0] : header;
  return fromHeader || query.get('code') || undefined;
}

export function isAuthorized(level: AuthLevel, presented: string | undefined, keys: FunctionKeys): boolean {
  if (level === 'anonymous') return true;
  if (presented === undefined) return false;
  const accepted = level === 'admin' ? [keys.master ?? keys.default] : [keys.default, keys.master];
  // Check every candidate (no early exit) so timing does not tell which key was close.
  let ok = false;
  for (const key of accepted) if (key !== undefined && key !== '' && keysEqual(presented, key)) ok = true;
  return ok;
}

/** Constant-time comparison; hashing first makes the inputs equal-length, as timingSafeEqual requires. */
function keysEqual(a: string, b: string): boolean {
  const digest = (value: string): Buffer => createHash('sha256').update(value, 'utf8').digest();
  return timingSafeEqual(digest(a), digest(b));
}
