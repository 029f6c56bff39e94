import type { Health, Problem } from './status-types.js';

/** Why a request gave no data, as the page explains it. */
export type FailureKind = 'unreachable' | 'unauthorized' | 'unavailable' | 'failed';

export class StatusRequestError extends Error {
  constructor(
    readonly kind: FailureKind,
    message: string,
  ) {
    super(message);
  }
}

/** The API below the page's origin (`/api`, the Functions host's route prefix). */
const API = '/api';

/**
 * GETs JSON from the pipeline's API. The function key goes in the `x-functions-key` header, never in the URL.
 * Failures are `StatusRequestError`s: `unreachable` (no answer: the pipeline is down), `unauthorized` (401:
 * the key is wrong), `unavailable` (503: a dependency such as storage is down; retrying helps), `failed`.
 * `answers` are the statuses whose JSON body is the answer (200, and 503 for the health report).
 */
export async function getJson<T>(
  path: string,
  key: string | undefined,
  signal: AbortSignal,
  answers: readonly number[] = [200],
): Promise<T> {
  let response: Response;
  try {
    response = await fetch(`${API}/${path}`, {
      headers: { accept: 'application/json', ...(key ? { 'x-functions-key': key } : {}) },
      cache: 'no-store',
      signal,
    });
  } catch (error) {
    if (signal.aborted) throw error;
    throw new StatusRequestError('unreachable', `no answer from ${window.location.origin}`);
  }
  const body = (await response.json().catch(() => undefined)) as unknown;
  if (answers.includes(response.status) && body !== undefined) return body as T;
  const problem = (body ?? {}) as Problem;
  const detail = problem.message ?? response.statusText;
  if (response.status === 401)
    throw new StatusRequestError('unauthorized', 'the function key was not accepted');
  if (response.status === 503) throw new StatusRequestError('unavailable', detail);
  throw new StatusRequestError('failed', `${response.status} ${problem.code ?? ''} ${detail}`.trim());
}

/** `/api/health` (anonymous): its report, healthy (200) or not (503). */
export const getHealth = (signal: AbortSignal): Promise<Health> =>
  getJson<Health>('health', undefined, signal, [200, 503]);
