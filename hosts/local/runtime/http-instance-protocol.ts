import { z } from 'zod';
import { errorContextSchema } from '../../../shared/error-context-schema';

/**
 * What the local runtime and its HTTP instance (a worker thread, http-instance.ts) pass each other. Both ends
 * are this project's code, but a worker's data and messages cross a structured-clone boundary, so they are
 * parsed like any other input: a mismatch names its field instead of failing later as `undefined`.
 */

/** The worker's `workerData`: everything its composition root and HTTP server need, all plain values. */
export const httpInstanceDataSchema = z.object({
  /** The app settings the runtime loaded its own services from (`loadSettings` input). */
  settings: z.record(z.string(), z.string()),
  /** The broker's TLS management endpoint, for the health check's backlog probe. */
  localManagement: z.object({ connectionString: z.string(), certificatePath: z.string() }).optional(),
  http: z.object({ port: z.int().min(0).max(65_535), functionKey: z.string().min(1) }),
  telemetry: z.object({
    connectionString: z.string().optional(),
    authenticationString: z.string().optional(),
  }),
});
export type HttpInstanceData = z.infer<typeof httpInstanceDataSchema>;

const logLevelSchema = z.enum(['debug', 'info', 'warn', 'error']);

const pipelineErrorJsonSchema = z.object({
  name: z.literal('PipelineError'),
  code: z.string(),
  message: z.string(),
  retryable: z.boolean(),
  context: errorContextSchema,
});

/** Messages from the worker to the runtime. */
export const httpInstanceMessageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready'), url: z.string(), port: z.int() }),
  /** It could not start: a `PipelineError` as JSON (its code kept), or any other error's message. */
  z.object({
    type: z.literal('failed'),
    error: z.union([pipelineErrorJsonSchema, z.object({ message: z.string() })]),
  }),
  /** A log line, written by the runtime's logger (its level and sink), fields already JSON-safe. */
  z.object({
    type: z.literal('log'),
    level: logLevelSchema,
    message: z.string(),
    fields: z.record(z.string(), z.unknown()),
  }),
  z.object({ type: z.literal('stopped') }),
]);
export type HttpInstanceMessage = z.infer<typeof httpInstanceMessageSchema>;

/** The one message the runtime sends: stop serving, close the services, then exit. */
export const STOP_MESSAGE = 'stop';
