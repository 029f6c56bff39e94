import { createHmac, timingSafeEqual } from 'node:crypto';

/** Shared access keys by name (`SharedAccessKeyName` → `SharedAccessKey`), as a namespace's policies hold them. */
export type SharedAccessKeys = ReadonlyMap<string, string>;

/** A token that passed: the resource it grants (`host/path`, see `resourceOf`) until `expiresAtMs`. */
export interface GrantedClaim {
  readonly resource: string;
  readonly expiresAtMs: number;
}

export type SasVerdict =
  ({ readonly ok: true } & GrantedClaim) | { readonly ok: false; readonly description: string };

const PREFIX = 'SharedAccessSignature ';

/**
 * Checks a Shared Access Signature as Service Bus does: `SharedAccessSignature sr=<url-encoded resource>&sig=
 * <url-encoded base64 HMAC-SHA256>&se=<expiry, unix seconds>&skn=<key name>` (fields in any order). The
 * signature is over `<sr as sent>\n<se>` with the named key; the token must not have expired, and its
 * resource must be the audience or a prefix of it (a token for `sb://host/` covers every entity).
 * The refusals carry Azure's wording (`ExpiredToken: ...`, `InvalidSignature: ...`, `InvalidAudience: ...`).
 */
export function verifySasToken(
  token: string,
  keys: SharedAccessKeys,
  audience: string,
  nowMs: number,
): SasVerdict {
  if (!token.startsWith(PREFIX))
    return refused('InvalidSignature: The token is not a SharedAccessSignature.');
  const fields = new Map<string, string>();
  for (const part of token.slice(PREFIX.length).split('&')) {
    const at = part.indexOf('=');
    if (at > 0) fields.set(part.slice(0, at), part.slice(at + 1));
  }
  const sr = fields.get('sr');
  const sig = fields.get('sig');
  const se = fields.get('se');
  const skn = fields.get('skn');
  if (!sr || !sig || !se || !skn || !/^\d+$/.test(se)) {
    return refused('InvalidSignature: The token is malformed (it needs sr, sig, se and skn).');
  }
  const key = keys.get(safeDecode(skn));
  if (key === undefined || !sameSignature(safeDecode(sig), sign(key, `${sr}\n${se}`))) {
    return refused('InvalidSignature: The token has an invalid signature.');
  }
  const expiresAtMs = Number(se) * 1000;
  if (expiresAtMs <= nowMs) {
    return refused(`ExpiredToken: The token is expired. Expiration time: '${azureTime(expiresAtMs)}'.`);
  }
  const resource = resourceOf(safeDecode(sr));
  if (!covers(resource, resourceOf(audience))) {
    return refused('InvalidAudience: The token has a wrong audience.');
  }
  return { ok: true, resource, expiresAtMs };
}

/**
 * A resource URI without scheme, query and trailing slash, lower-cased: `sb://Host:5671/Queue/` and
 * `https://host:5671/queue?api-version=2021-05` both give `host:5671/queue`, so an AMQP token and an HTTPS
 * one name resources alike.
 */
export function resourceOf(uri: string): string {
  return uri
    .replace(/^[a-z][a-z0-9+.-]*:\/\//i, '')
    .replace(/[?#].*$/, '')
    .replace(/\/+$/, '')
    .toLowerCase();
}

/** True when the granted resource is `wanted` or one of its ancestors (`host/queue` covers `host/queue/x`). */
export function covers(granted: string, wanted: string): boolean {
  return wanted === granted || wanted.startsWith(`${granted}/`);
}

const sign = (key: string, text: string): string => createHmac('sha256', key).update(text).digest('base64');

function sameSignature(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** `2019-04-11 21:12:56Z`, the form Azure's ExpiredToken message gives. */
const azureTime = (ms: number): string => `${new Date(ms).toISOString().slice(0, 19).replace('T', ' ')}Z`;

const refused = (description: string): SasVerdict => ({ ok: false, description });
