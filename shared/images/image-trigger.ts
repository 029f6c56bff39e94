import { z } from 'zod';
import type { RepositoryRevisions } from './fingerprint';

/**
 * The image build trigger's pure part: the `image-builds` messages and the debounce decision, and the ports
 * the trigger runs over (`image-trigger-service.ts`).
 *
 * Debounce, per image: every `repo.published` for a repository the image uses moves the image's
 * `lastRepoChangeAt` (a Tables row per image) and schedules a `quiet-check` message for
 * `lastRepoChangeAt + quiet`. The message id is `<image>:w<window>` (the quiet interval's window the change
 * fell in), so a burst of publishes schedules one message per window, not one per publish, and the queue's
 * duplicate detection drops the rest. When a check arrives before the repositories have been quiet for the
 * whole interval (a later publish moved `lastRepoChangeAt`), it schedules a `quiet-check` for the new due
 * time with id `<image>:at<due ms>`, never its own id, so duplicate detection cannot swallow it; checks that
 * arrive for the same due time collapse into one. Once quiet, the build is requested, and the row remembers
 * for which change it was, so a second check for the same change requests nothing.
 *
 * One build of an image at a time: the `image-builds` queue's session is the image name.
 */

/** Why an image build was asked for. */
export type ImageBuildReason = 'repositories-changed' | 'requested';

/** The body of an `image-builds` message (session = image). */
export const imageBuildMessageSchema = z.object({
  image: z.string().min(1).max(200),
  /** `quiet-check`: the debounce's check; `requested`: `POST /api/images/{name}/builds`, built at once. */
  trigger: z.enum(['quiet-check', 'requested']),
  /** When the message was made (a request: when it was asked for). */
  at: z.iso.datetime({ offset: true }),
});
export type ImageBuildMessage = z.infer<typeof imageBuildMessageSchema>;

/** One `image-builds` message to send: visible from `notBefore` (now or earlier: at once). */
export interface ScheduledImageBuild {
  readonly messageId: string;
  /** The image name: one build of an image at a time. */
  readonly sessionId: string;
  readonly body: ImageBuildMessage;
  readonly notBefore: Date;
}

/** The trigger's row of one image (Tables: one row per image). */
export interface ImageTriggerRow {
  readonly image: string;
  /** ISO time the trigger last saw a `repo.published` for one of the image's repositories. */
  readonly lastRepoChangeAt?: string;
  /** The newest revision seen of each repository the image uses. */
  readonly revisions: RepositoryRevisions;
  /** The `lastRepoChangeAt` a build was last requested for. */
  readonly requestedForChangeAt?: string;
}

/** A `repo.published` as the trigger records it for an image. */
export interface RepositoryChange {
  readonly repository: string;
  readonly revision: number;
  /** When the trigger received it (its own clock, the one the quiet check compares with). */
  readonly at: Date;
}

/** The trigger's rows. Every write is atomic per image (the adapter's conditional update). */
export interface ImageTriggerState {
  get(image: string): Promise<ImageTriggerRow | undefined>;
  /**
   * Records a change: `lastRepoChangeAt` becomes the later of the stored and `change.at`, the repository's
   * revision the higher of the two (a redelivered or late event never moves either back). The row after.
   */
  recordChange(image: string, change: RepositoryChange): Promise<ImageTriggerRow>;
  /** Remembers that a build was requested for the change at `changeAt`. */
  markRequested(image: string, changeAt: string): Promise<void>;
}

/** The `image-builds` queue: message id for duplicate detection, session = image. */
export interface ImageBuildQueue {
  send(messages: readonly ScheduledImageBuild[]): Promise<void>;
}

/** What a builder is asked for: build `image` from its repositories (at least these revisions). */
export interface ImageBuildRequest {
  readonly image: string;
  readonly reason: ImageBuildReason;
  /** The newest revisions the trigger saw; the builder reads the repositories as they are when it runs. */
  readonly revisions: RepositoryRevisions;
}

/**
 * What asking for a build came to: `queued` (a build record made; the build runs elsewhere), `published`
 * (built and published here), `failed` (a permanent failure, recorded; a retryable one is thrown), `unchanged`
 * (the fingerprint of the definition and the repository revisions is the one last built: nothing to build),
 * `unknown-image` (the tree no longer has it).
 */
export type ImageBuildRequestOutcome =
  | {
      readonly kind: 'queued';
      readonly image: string;
      readonly fingerprint: string;
      readonly buildId: string;
    }
  | {
      readonly kind: 'published';
      readonly image: string;
      readonly fingerprint: string;
      readonly buildId: string;
      /** The VHD's URL. */
      readonly url?: string;
    }
  | {
      readonly kind: 'failed';
      readonly image: string;
      readonly fingerprint: string;
      readonly buildId: string;
      readonly error: { readonly code: string; readonly message: string; readonly retryable: boolean };
    }
  | { readonly kind: 'unchanged'; readonly image: string; readonly fingerprint: string }
  | { readonly kind: 'unknown-image'; readonly image: string };

/** Hands a build request to the image builder. */
export interface ImageBuildRequests {
  requestBuild(request: ImageBuildRequest): Promise<ImageBuildRequestOutcome>;
}

/** The first check after a change at `changeAt`: coalesced per quiet window. */
export function quietCheckAfterChange(image: string, changeAt: Date, quietMs: number): ScheduledImageBuild {
  const window = quietMs > 0 ? Math.floor(changeAt.getTime() / quietMs) : changeAt.getTime();
  return scheduled(`${image}:w${window}`, image, changeAt, new Date(changeAt.getTime() + quietMs));
}

/** A check again at `due`, when one arrived before the repositories were quiet long enough. */
export function quietCheckAt(image: string, due: Date, now: Date): ScheduledImageBuild {
  return scheduled(`${image}:at${due.getTime()}`, image, now, due);
}

/** A build asked for now (`POST /api/images/{name}/builds`): its own id, so every request is sent. */
export function requestedBuild(image: string, now: Date): ScheduledImageBuild {
  return {
    messageId: `${image}:requested:${now.getTime()}`,
    sessionId: image,
    body: { image, trigger: 'requested', at: now.toISOString() },
    notBefore: now,
  };
}

function scheduled(messageId: string, image: string, at: Date, notBefore: Date): ScheduledImageBuild {
  return {
    messageId,
    sessionId: image,
    body: { image, trigger: 'quiet-check', at: at.toISOString() },
    notBefore,
  };
}

/** What an arriving `image-builds` message comes to. */
export type ImageBuildDecision =
  | { readonly kind: 'build'; readonly reason: ImageBuildReason; readonly changeAt?: string }
  /** Not quiet yet: check again at `until`. */
  | { readonly kind: 'wait'; readonly until: Date }
  /** A build was already requested for the newest change (another check for the same change). */
  | { readonly kind: 'already-requested'; readonly changeAt: string }
  /** A check with no change recorded (the row was never written or was removed). */
  | { readonly kind: 'nothing-changed' };

/**
 * The debounce. A `requested` message builds at once. A `quiet-check` builds when no change came in for
 * `quietMs` and no build was requested for the newest change yet; otherwise it waits until `quietMs` after
 * the newest change.
 */
export function decideImageBuild(
  message: ImageBuildMessage,
  row: ImageTriggerRow | undefined,
  now: Date,
  quietMs: number,
): ImageBuildDecision {
  if (message.trigger === 'requested') return { kind: 'build', reason: 'requested' };
  const changeAt = row?.lastRepoChangeAt;
  if (changeAt === undefined) return { kind: 'nothing-changed' };
  const quietFrom = Date.parse(changeAt) + quietMs;
  if (now.getTime() < quietFrom) return { kind: 'wait', until: new Date(quietFrom) };
  if (row?.requestedForChangeAt !== undefined && Date.parse(row.requestedForChangeAt) >= Date.parse(changeAt))
    return { kind: 'already-requested', changeAt };
  return { kind: 'build', reason: 'repositories-changed', changeAt };
}
