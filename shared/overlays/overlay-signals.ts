import type { PermanentCode } from '../error-codes';
import type { ErrorContext } from '../errors';

/**
 * What an overlay function throws when it cannot do its edit; the renderer catches these, adds the overlay's
 * site (component, index, type) and turns them into `PipelineError`s (`drift.ts`).
 */

/** Raised inside an overlay function; the renderer adds the site and turns it into `overlay.drift`. */
export class OverlayNotApplicable extends Error {
  override readonly name = 'OverlayNotApplicable';
}

/**
 * Raised inside an overlay function for a refusal with its own code (`overlay.path-escape`, `overlay.regex`);
 * `context` adds what the site does not say (the file a refusal is about).
 */
export class OverlayRefused extends Error {
  override readonly name = 'OverlayRefused';
  constructor(
    readonly code: PermanentCode,
    message: string,
    readonly context: ErrorContext = {},
  ) {
    super(message);
  }
}

/** Thrown by the overlay functions: the spec or tree no longer has what the overlay targets. */
export const notFound = (what: string): OverlayNotApplicable => new OverlayNotApplicable(what);
