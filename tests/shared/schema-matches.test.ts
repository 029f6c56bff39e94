import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { describes } from '../../shared/schema-matches';
import type { SchemaMatches } from '../../shared/schema-matches';

/**
 * `describes` is a compile-time check: the `@ts-expect-error` lines below fail `tsc` (npm run typecheck) the
 * day the check stops catching the mismatch they hold. The runtime assertions show it hands the schema back.
 */

interface Sample {
  readonly id: string;
  readonly tags: readonly string[];
  readonly note?: string;
  readonly parent: string | undefined;
  readonly state: 'a' | 'b';
}

const matching = z.object({
  id: z.string(),
  tags: z.array(z.string()),
  note: z.string().optional(),
  parent: z.string().optional(),
  state: z.enum(['a', 'b']),
});

describe('describes<T>()(schema)', () => {
  it('accepts a schema with the same JSON shape (readonly and undefined-valued keys aside) and returns it', () => {
    expect(describes<Sample>()(matching)).toBe(matching);
    const same: SchemaMatches<typeof matching, Sample> = true;
    expect(same).toBe(true);
  });

  it('refuses a schema missing an optional field, with an extra field, or with a wider enum', () => {
    // @ts-expect-error `note` (optional in the interface) is missing from the schema
    describes<Sample>()(matching.omit({ note: true }));
    // @ts-expect-error the schema has a field the interface lacks
    describes<Sample>()(matching.extend({ extra: z.number() }));
    // @ts-expect-error the schema admits a state the interface does not
    describes<Sample>()(matching.extend({ state: z.enum(['a', 'b', 'c']) }));
    // @ts-expect-error a required field made optional
    describes<Sample>()(matching.extend({ id: z.string().optional() }));
    const differs: SchemaMatches<ReturnType<typeof matching.omit<{ note: true }>>, Sample> = false;
    expect(differs).toBe(false);
  });
});
