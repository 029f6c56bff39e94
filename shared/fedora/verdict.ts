import type { z } from 'zod';
import type { UpstreamEvent } from './upstream-event';
import type { ReleaseOptions } from './release-mapping';

/**
 * What a topic module makes of one message body. The envelope (id, topic, time, severity header) is read
 * once by `normalize`; topic modules see only the body and return one of these, never throw.
 */
export type EventFields = Omit<UpstreamEvent, 'messageId' | 'topic' | 'time' | 'severity'>;

export type Verdict =
  | {
      readonly type: 'event';
      readonly fields: EventFields;
      /** Used when the envelope carries no (valid) `fedora_messaging_severity` header. */
      readonly defaultSeverity: UpstreamEvent['severity'];
    }
  | { readonly type: 'ignored'; readonly reason: string }
  /** `path` is relative to the body (`['update', 'builds', 0, 'nvr']`); normalize prefixes and formats it. */
  | { readonly type: 'rejected'; readonly path: readonly PropertyKey[]; readonly message: string };

export interface TopicContext {
  /** The topic without its environment prefix: `buildsys.tag`, `bodhi.update.request.testing`. */
  readonly suffix: string;
  readonly options: ReleaseOptions;
}

export type TopicHandler = (body: unknown, context: TopicContext) => Verdict;

export const ignored = (reason: string): Verdict => ({ type: 'ignored', reason });

export const accepted = (
  fields: EventFields,
  defaultSeverity: UpstreamEvent['severity'] = 'info',
): Verdict => ({ type: 'event', fields: withoutUndefined(fields), defaultSeverity });

/** A zod path as people write it: `update.builds[0].nvr`; keys are joined with dots, indexes bracketed. */
export function formatPath(path: readonly PropertyKey[], prefix = ''): string {
  let out = prefix;
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out === '' ? String(key) : `.${String(key)}`;
  }
  return out;
}

/** A rejection at `path` (relative to the body); `message` says what is wrong there. */
export const rejected = (path: readonly PropertyKey[], message: string): Verdict => ({
  type: 'rejected',
  path,
  message,
});

/** The first issue of a failed parse as a rejection; the message counts the other issues. */
export function rejectedBy(error: z.ZodError): Verdict {
  const [first] = error.issues;
  if (first === undefined) return rejected([], 'invalid message');
  const more = error.issues.length > 1 ? ` (and ${error.issues.length - 1} more problem(s))` : '';
  return rejected(first.path, `${first.message}${more}`);
}

/** Parses `body` with `schema`, then hands the data to `map`; a failed parse becomes a rejection. */
export function parseThen<S extends z.ZodType>(
  schema: S,
  body: unknown,
  map: (data: z.output<S>) => Verdict,
): Verdict {
  const parsed = schema.safeParse(body);
  return parsed.success ? map(parsed.data) : rejectedBy(parsed.error);
}

/** Drops keys whose value is undefined, so events compare and serialize without empty keys. */
function withoutUndefined<T extends object>(value: T): T {
  const out: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(value)) if (field !== undefined) out[key] = field;
  return out as T;
}
