import { z } from 'zod';
import type { ErrorContext } from './errors';

/** A `PipelineError`'s `context` (the place: file, component, field, ...) as stored or answered in JSON. */
export const errorContextSchema: z.ZodType<ErrorContext> = z.record(
  z.string(),
  z.union([z.string(), z.number(), z.boolean(), z.null()]),
);
