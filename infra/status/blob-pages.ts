import { PipelineError } from '../../shared/errors';
import type { BlobStore } from '../storage';
import { decodeToken, encodeToken } from './continuation';
import type { PageRequest } from './ports';

/**
 * One page of blob names in name order, resuming after the last name of the previous page (the API's token
 * wraps that name). A container that does not exist yet reads as empty.
 */
export async function blobNamePage(
  blobs: BlobStore,
  container: string,
  page: PageRequest,
): Promise<{ names: string[]; continuationToken?: string }> {
  const after = decodeToken(container, page.continuationToken);
  const names: string[] = [];
  let more = false;
  try {
    for await (const blob of blobs.list(container)) {
      const { name } = blob;
      if (after !== undefined && name <= after) continue;
      if (names.length === page.limit) {
        more = true;
        break;
      }
      names.push(name);
    }
  } catch (error) {
    if (PipelineError.is(error, 'storage.not-found')) return { names: [] };
    throw error;
  }
  const next = more ? encodeToken(container, names[names.length - 1]) : undefined;
  return { names, ...(next ? { continuationToken: next } : {}) };
}
