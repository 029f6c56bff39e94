import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { PipelineError } from '../../../shared/errors';

/**
 * The part of host.json the local host honours, in milliseconds. Absent keys take the Functions host's
 * defaults (Flex Consumption, Service Bus extension 5.x), so the local host behaves like Azure with the same
 * file. Other keys are ignored here; the Functions host reads them in Azure.
 */
export interface HostConfig {
  /** null when host.json says "-1" (unbounded, allowed on Flex and Premium). */
  readonly functionTimeoutMs: number | null;
  readonly serviceBus: {
    readonly maxConcurrentCalls: number;
    readonly maxConcurrentSessions: number;
    readonly maxAutoLockRenewalDurationMs: number;
    readonly sessionIdleTimeoutMs: number;
    readonly autoCompleteMessages: boolean;
  };
}

export const HOST_DEFAULTS = {
  functionTimeoutMs: 30 * 60_000,
  maxConcurrentCalls: 16,
  maxConcurrentSessions: 8,
  maxAutoLockRenewalDurationMs: 5 * 60_000,
  /** The extension has no own default: the SDK falls back to clientRetryOptions.tryTimeout (1 minute). */
  tryTimeoutMs: 60_000,
  autoCompleteMessages: true,
} as const;

/** .NET TimeSpan text as host.json writes it: `[d.]hh:mm:ss[.fffffff]`. */
const TIME_SPAN = /^(?:(\d+)\.)?(\d{1,2}):(\d{2}):(\d{2})(?:\.(\d{1,7}))?$/;

export function parseTimeSpanMs(text: string): number | undefined {
  const match = TIME_SPAN.exec(text.trim());
  if (!match) return undefined;
  const [, days = '0', hours = '0', minutes = '0', seconds = '0', fraction = ''] = match;
  if (Number(hours) > 23 || Number(minutes) > 59 || Number(seconds) > 59) return undefined;
  const fractionMs = fraction === '' ? 0 : Math.round(Number(`0.${fraction}`) * 1000);
  return (
    ((Number(days) * 24 + Number(hours)) * 60 + Number(minutes)) * 60_000 +
    Number(seconds) * 1000 +
    fractionMs
  );
}

const SPAN = 'a time span "hh:mm:ss[.fff]"';
/** Milliseconds from a time span; with `unbounded`, "-1" is accepted too and means no limit (null). */
const timeSpanMs = (unbounded: boolean) => {
  const expected = unbounded ? `${SPAN} or "-1"` : SPAN;
  return z.string({ error: `expected ${expected}` }).transform((text, ctx): number | null => {
    if (unbounded && text.trim() === '-1') return null;
    const ms = parseTimeSpanMs(text);
    if (ms === undefined) ctx.addIssue({ code: 'custom', message: `expected ${expected}, got "${text}"` });
    return ms ?? 0;
  });
};
const timeSpan = timeSpanMs(false).transform((ms) => ms ?? 0);
const positiveInt = z
  .number({ error: 'expected a number' })
  .int({ error: 'expected a whole number' })
  .positive({ error: 'expected a number above 0' });

/** Keys of the Service Bus extension 2.x-4.x; bundle 4.x ships 5.x, which ignores them silently. */
const legacyKey = z
  .never({
    error:
      'belongs to the Service Bus extension 4.x and older; use the flat 5.x keys (maxConcurrentCalls, ...)',
  })
  .optional();

const hostJson = z.object({
  version: z.literal('2.0', { error: 'expected "2.0"' }).optional(),
  functionTimeout: timeSpanMs(true).optional(),
  extensions: z
    .object({
      serviceBus: z
        .object({
          maxConcurrentCalls: positiveInt.optional(),
          maxConcurrentSessions: positiveInt.optional(),
          maxAutoLockRenewalDuration: timeSpan.optional(),
          sessionIdleTimeout: timeSpan.optional(),
          autoCompleteMessages: z.boolean({ error: 'expected true or false' }).optional(),
          clientRetryOptions: z.object({ tryTimeout: timeSpan.optional() }).optional(),
          messageHandlerOptions: legacyKey,
          sessionHandlerOptions: legacyKey,
        })
        .optional(),
    })
    .optional(),
});

/** Parses host.json text; throws `host_config.invalid` naming the field, e.g. `extensions.serviceBus.maxConcurrentCalls`. */
export function parseHostConfig(text: string, source = 'host.json'): HostConfig {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw invalid(source, `${source}: not valid JSON (${String(error)})`);
  }
  const parsed = hostJson.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue?.path.join('.') || '(root)';
    throw invalid(source, `${source} ${field}: ${issue?.message ?? 'invalid'}`, field);
  }
  const { functionTimeout, extensions } = parsed.data;
  const sb = extensions?.serviceBus;
  return {
    functionTimeoutMs: functionTimeout === undefined ? HOST_DEFAULTS.functionTimeoutMs : functionTimeout,
    serviceBus: {
      maxConcurrentCalls: sb?.maxConcurrentCalls ?? HOST_DEFAULTS.maxConcurrentCalls,
      maxConcurrentSessions: sb?.maxConcurrentSessions ?? HOST_DEFAULTS.maxConcurrentSessions,
      maxAutoLockRenewalDurationMs:
        sb?.maxAutoLockRenewalDuration ?? HOST_DEFAULTS.maxAutoLockRenewalDurationMs,
      sessionIdleTimeoutMs:
        sb?.sessionIdleTimeout ?? sb?.clientRetryOptions?.tryTimeout ?? HOST_DEFAULTS.tryTimeoutMs,
      autoCompleteMessages: sb?.autoCompleteMessages ?? HOST_DEFAULTS.autoCompleteMessages,
    },
  };
}

/** Reads and parses a host.json file (the local host passes the repository's). */
export function readHostConfig(path: string): HostConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw PipelineError.permanent(
      'host_config.unreadable',
      `${path}: ${String(error)}`,
      { file: path },
      error,
    );
  }
  return parseHostConfig(text, path);
}

function invalid(file: string, message: string, field?: string): PipelineError {
  return PipelineError.permanent(
    'host_config.invalid',
    message,
    field === undefined ? { file } : { file, field },
  );
}
