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

/** The permanent error for an overlay that no longer applies to the upstream it is rendered against. */
export function driftError(site: OverlaySite, missing: string, cause?: unknown): PipelineError {
  return PipelineError.permanent(
    'overlay.drift',
    `${label(site)} no longer applies: ${missing}`,
    {
      component: site.component,
      overlayIndex: site.index,
      overlayType: site.overlay.type,
      description: site.overlay.description ?? null,
      missing,
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
