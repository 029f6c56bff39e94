import { sourcesPermanent } from './source-errors';

/**
 * Hash algorithms a source can be declared with. Dist-git `sources` files use SHA512 (modern) or MD5 (old
 * two-column lines); `source-files` entries use SHA256 or SHA512. Names are lower case, as in the lookaside
 * URL's `$hashtype` and in node:crypto.
 */
export type HashType = 'md5' | 'sha256' | 'sha512';

const HEX_LENGTH: Record<HashType, number> = { md5: 32, sha256: 64, sha512: 128 };

export function parseHashType(value: string, field = 'hash-type'): HashType {
  const lower = value.toLowerCase();
  if (lower === 'md5' || lower === 'sha256' || lower === 'sha512') return lower;
  throw sourcesPermanent('sources.malformed', `unsupported ${field} ${JSON.stringify(value)}`, {
    field,
    value,
  });
}

/** The hash, lower-cased, when it is hex of the right length for its type. */
export function normalizeHash(type: HashType, hash: string, file: string): string {
  const lower = hash.toLowerCase();
  if (lower.length !== HEX_LENGTH[type] || !/^[0-9a-f]+$/.test(lower)) {
    throw sourcesPermanent(
      'sources.malformed',
      `${file}: ${type} hash must be ${HEX_LENGTH[type]} hex digits`,
      {
        file,
        hashType: type,
        hash,
      },
    );
  }
  return lower;
}
