import { z } from 'zod';

/** Every error answer of the HTTP functions (`functions/problem.ts`): a catalogue code and a sentence. */
export const problemSchema = z.object({
  code: z.string().min(1).describe('an error code of the catalogue (README "Error codes")'),
  message: z.string().describe('what went wrong, for people'),
});
export type Problem = z.output<typeof problemSchema>;
