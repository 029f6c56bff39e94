import { PipelineError } from '../errors';
import { imagesUsingRepository } from './image-repositories';
import type { ImageTarget } from './image-repositories';
import { decideImageBuild, quietCheckAfterChange, quietCheckAt, requestedBuild } from './image-trigger';
import type {
  ImageBuildMessage,
  ImageBuildQueue,
  ImageBuildRequest,
  ImageBuildRequestOutcome,
  ImageBuildRequests,
  ImageTriggerState,
  ScheduledImageBuild,
} from './image-trigger';

export interface ImageTriggerPorts {
  /**
   * The images of the distro tree and the architecture each is built for; a function is asked on every use
   * (the composition root reads the tree lazily, so a tree that does not load fails the image functions only).
   */
  readonly images: readonly ImageTarget[] | (() => readonly ImageTarget[]);
  readonly state: ImageTriggerState;
  readonly queue: ImageBuildQueue;
  /** `AZL_IMAGE_QUIET_SECONDS` in milliseconds. */
  readonly quietMs: number;
  readonly now?: () => Date;
}

/** What handling one `image-builds` message came to. */
export type ImageBuildHandled =
  | {
      readonly kind: 'requested';
      readonly request: ImageBuildRequest;
      readonly outcome: ImageBuildRequestOutcome;
    }
  /** Due, but this instance has no image builder: nothing was asked for or remembered. */
  | { readonly kind: 'not-configured'; readonly request: ImageBuildRequest }
  | { readonly kind: 'waiting'; readonly until: Date; readonly messageId: string }
  | { readonly kind: 'already-requested'; readonly changeAt: string }
  | { readonly kind: 'nothing-changed' }
  | { readonly kind: 'unknown-image' };

/** The trigger as the functions see it (`Services.imageTrigger`). */
export interface ImageTriggerPort {
  /** Whether the distro tree has an image of that name. */
  knows(image: string): boolean;
  /** A `repo.published`: records it for every image using the repository and schedules their checks. */
  repositoryPublished(change: { repository: string; revision: number }): Promise<ScheduledImageBuild[]>;
  /** Queues a build of `image` now; `image.unknown-image` when the tree has none. */
  requestNow(image: string): Promise<ScheduledImageBuild>;
  /** One `image-builds` message; `requests` absent: this instance builds no images. */
  handle(message: ImageBuildMessage, requests: ImageBuildRequests | undefined): Promise<ImageBuildHandled>;
}

/**
 * The image build trigger over its ports: the debounce of `image-trigger.ts` with the Tables row per image
 * and the `image-builds` queue. Every step can run again after a crash: the row's writes only move forward,
 * and the messages it sends have ids duplicate detection recognises.
 */
export class ImageTrigger implements ImageTriggerPort {
  private readonly now: () => Date;

  constructor(private readonly ports: ImageTriggerPorts) {
    this.now = ports.now ?? (() => new Date());
  }

  knows(image: string): boolean {
    return this.images().some((target) => target.name === image);
  }

  private images(): readonly ImageTarget[] {
    const { images } = this.ports;
    return typeof images === 'function' ? images() : images;
  }

  async repositoryPublished(change: {
    repository: string;
    revision: number;
  }): Promise<ScheduledImageBuild[]> {
    const at = this.now();
    const checks: ScheduledImageBuild[] = [];
    for (const image of imagesUsingRepository(this.images(), change.repository)) {
      await this.ports.state.recordChange(image, { ...change, at });
      checks.push(quietCheckAfterChange(image, at, this.ports.quietMs));
    }
    if (checks.length > 0) await this.ports.queue.send(checks);
    return checks;
  }

  async requestNow(image: string): Promise<ScheduledImageBuild> {
    if (!this.knows(image))
      throw PipelineError.permanent('image.unknown-image', `no image '${image}' in the distro tree`, {
        image,
      });
    const message = requestedBuild(image, this.now());
    await this.ports.queue.send([message]);
    return message;
  }

  async handle(
    message: ImageBuildMessage,
    requests: ImageBuildRequests | undefined,
  ): Promise<ImageBuildHandled> {
    if (!this.knows(message.image)) return { kind: 'unknown-image' };
    const now = this.now();
    const row = await this.ports.state.get(message.image);
    const decision = decideImageBuild(message, row, now, this.ports.quietMs);
    switch (decision.kind) {
      case 'wait': {
        const check = quietCheckAt(message.image, decision.until, now);
        await this.ports.queue.send([check]);
        return { kind: 'waiting', until: decision.until, messageId: check.messageId };
      }
      case 'already-requested':
      case 'nothing-changed':
        return decision;
      case 'build': {
        const request = { image: message.image, reason: decision.reason, revisions: row?.revisions ?? {} };
        if (!requests) return { kind: 'not-configured', request };
        const outcome = await requests.requestBuild(request);
        // After the request, so a crash in between asks again (the builder answers `unchanged`) rather
        // than never.
        const changeAt = row?.lastRepoChangeAt;
        if (changeAt !== undefined) await this.ports.state.markRequested(message.image, changeAt);
        return { kind: 'requested', request, outcome };
      }
    }
  }
}
