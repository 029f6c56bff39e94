import type { PermanentCode } from '../error-codes';
import type { ErrorContext } from '../errors';
import { PipelineError } from '../errors';
import type { Overlay } from './schema';

/** Where an overlay sits: the component and the overlay's position in the resolved list (or azldev's own). */
export interface OverlaySite {
  readonly component: string;
  /** 0-based index in the component's overlay list; null for the edits azldev adds itself. */
  readonly index: number | null;
  readonly overlay: Pick<Overlay, 'type' | 'description'>;
}

function label(site: OverlaySite): string {
  const which = site.index === null ? 'azldev edit' : `overlay #${site.index}`;
  const description = site.overlay.description ? ` "${site.overlay.description}"` : '';
  return `component ${site.component}: ${which} (${site.overlay.type}${description})`;
}

/**
 * The codes that mean "the overlay needs a maintainer's fix against this upstream": it no longer applies
 * (`overlay.drift`), its removal would cut a conditional that spans sections (`overlay.conditional-span`), or
 * the upstream spec's conditionals no longer pair up (`overlay.spec-structure`). A build ends `overlay-drift`
 * and `overlays apply` exits 3 on any of them; a retry cannot help.
 */
export const OVERLAY_DRIFT_CODES = [
  'overlay.drift',
  'overlay.conditional-span',
  'overlay.spec-structure',
] as const;

/** Whether `error` is overlay drift in the sense of `OVERLAY_DRIFT_CODES`. */
export function isOverlayDrift(error: unknown): error is PipelineError {
  return PipelineError.is(error) && (OVERLAY_DRIFT_CODES as readonly string[]).includes(error.code);
}

/**
 * The permanent error for an overlay that no longer applies to the upstream it is rendered against; `context`
 * adds what the site does not say (the archive and pattern of an archive overlay).
 */
export function driftError(
  site: OverlaySite,
  missing: string,
  cause?: unknown,
  context: ErrorContext = {},
): PipelineError {
  return PipelineError.permanent(
    'overlay.drift',
    `${label(site)} no longer applies: ${missing}`,
    {
      component: site.component,
      overlayIndex: site.index,
      overlayType: site.overlay.type,
      description: site.overlay.description ?? null,
      missing,
      ...context,
    },
    cause,
  );
}

/** Any other overlay failure (a regex JavaScript cannot run, a path escape), with the same site context. */
export function overlayError(
  site: OverlaySite,
  code: PermanentCode,
  message: string,
  context: ErrorContext = {},
): PipelineError {
  return PipelineError.permanent(code, `${label(site)}: ${message}`, {
    component: site.component,
    overlayIndex: site.index,
    overlayType: site.overlay.type,
    description: site.overlay.description ?? null,
    ...context,
  });
}
