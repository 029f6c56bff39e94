import { z } from 'zod';
import { MAX_CAUSE_TRACES, traceContextSchema } from '../telemetry/trace-context';

/**
 * The body of one message on the `builds` queue: rebuild `component` at `fingerprint` because of `reasons`.
 * Sent by the plan function (session id = component, message id = fingerprint, so the broker drops a
 * duplicate); read by the build worker. `attempt` counts transient-failure retries (1 = first try).
 */
export const reasonSchema = z.object({
  messageId: z.string(),
  kind: z.string(),
  package: z.string(),
  nvr: z.string().optional(),
  commit: z.string().optional(),
  changedProvides: z.array(z.string()).readonly().optional(),
  // Hops written before they lost `to` (the next hop's `from`) still parse: unknown keys are dropped.
  path: z
    .array(z.object({ from: z.string(), buildRequire: z.string() }))
    .readonly()
    .optional(),
  component: z.string(),
});

/** A component name as it may appear in a blob path, a session id and a file name. */
export const componentNameSchema = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._+-]*$/, 'a component name is letters, digits and . _ + -');

export const buildRequestSchema = z.object({
  planId: z.string().min(1).max(128),
  component: componentNameSchema,
  fingerprint: z.string().regex(/^sha256:[0-9a-f]{64}$/, 'a fingerprint is sha256:<64 hex>'),
  wave: z.number().int().nonnegative(),
  priority: z.number().int(),
  /** The upstream build or commit the plan moved the component to (its lock); absent for a dependent. */
  upstream: z.object({ nvr: z.string().optional(), commit: z.string().optional() }).optional(),
  reasons: z.array(reasonSchema).readonly(),
  /** When the plan asked for it (ISO 8601): a newer request for the same component supersedes it. */
  requestedAt: z.string().datetime({ offset: true }),
  attempt: z.number().int().positive().default(1),
  /**
   * When Fedora sent the earliest message among the item's reasons (ISO 8601), carried on to the publish
   * requests for the end-to-end latency metric. Absent on requests written before it existed.
   */
  upstreamSentAt: z.string().datetime({ offset: true }).optional(),
  /**
   * The W3C trace contexts of the events that caused the item (the first `MAX_CAUSE_TRACES`): the message
   * travels in the first one's trace and the build span links to all of them. Absent on older requests.
   */
  causes: z.array(traceContextSchema).max(MAX_CAUSE_TRACES).readonly().optional(),
});
export type BuildRequest = z.infer<typeof buildRequestSchema>;
export type BuildRequestInput = z.input<typeof buildRequestSchema>;
