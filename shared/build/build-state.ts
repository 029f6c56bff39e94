/**
 * A build's states, as its record keeps them. Final states end the history; a redelivered message for a build
 * in a final state changes nothing.
 */
export const buildStates = [
  'queued',
  'preparing',
  'building',
  'succeeded',
  'failed',
  'overlay-drift',
  'unchanged',
  'superseded',
  'cancelled',
] as const;
export type BuildState = (typeof buildStates)[number];

export const finalBuildStates: ReadonlySet<BuildState> = new Set([
  'succeeded',
  'failed',
  'overlay-drift',
  'unchanged',
  'superseded',
  'cancelled',
]);

export const isFinalBuildState = (state: BuildState): boolean => finalBuildStates.has(state);
