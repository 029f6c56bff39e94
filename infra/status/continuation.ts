import { z } from 'zod';
import { PipelineError } from '../../shared/errors';

/**
 * The API's continuation tokens: opaque base64url text wrapping the store's own position (a Tables
 * continuation token, or the last blob name of a listing) together with the list it belongs to, so a token
 * handed to another list, or tampered with, is refused as `status.invalid-token` instead of reading garbage.
 */
const tokenSchema = z.object({ list: z.string(), position: z.string().min(1) });

export function encodeToken(list: string, position: string | undefined): string | undefined {
  if (position === undefined || position === '') return undefined;
  return Buffer.from(JSON.stringify({ list, position }), 'utf8').toString('base64url');
}

/** The store position inside `token`, or `undefined` when no token was given (first page). */
export function decodeToken(list: string, token: string | undefined): string | undefined {
  if (token === undefined || token === '') return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    parsed = undefined;
  }
  const result = tokenSchema.safeParse(parsed);
  if (!result.success || result.data.list !== list) {
    throw PipelineError.permanent(
      'status.invalid-token',
      'the continuationToken was not issued by this list',
      {
        list,
      },
    );
  }
  return result.data.position;
}
