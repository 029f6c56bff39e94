import { z } from 'zod';
import { describes } from '../schema-matches';
import type { Hop, Reason } from './types';

const hopSchema = describes<Hop>()(z.object({ from: z.string(), buildRequire: z.string() }));

/** `Reason` (why a component is rebuilt) as the status API answers it; checked against the interface. */
export const reasonSchema = describes<Reason>()(
  z.object({
    messageId: z.string(),
    kind: z.string(),
    package: z.string(),
    nvr: z.string().optional(),
    commit: z.string().optional(),
    changedProvides: z
      .array(z.string())
      .optional()
      .describe('ABI-relevant provides added (`+…`) or removed (`-…`)'),
    path: z.array(hopSchema).optional().describe('for a dependent: the BuildRequire steps to it'),
    component: z.string().describe('the component the event changed'),
  }),
);
