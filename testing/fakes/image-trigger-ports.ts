import type {
  ImageBuildQueue,
  ImageBuildRequest,
  ImageBuildRequestOutcome,
  ImageBuildRequests,
  ImageTriggerRow,
  ImageTriggerState,
  RepositoryChange,
  ScheduledImageBuild,
} from '../../shared/images/image-trigger';

/** The image trigger's rows in a map, with the adapter's contract: changes and requests only move forward. */
export class MemoryImageTriggerState implements ImageTriggerState {
  readonly rows = new Map<string, ImageTriggerRow>();

  get(image: string): Promise<ImageTriggerRow | undefined> {
    const row = this.rows.get(image);
    return Promise.resolve(row && structuredClone(row));
  }

  recordChange(image: string, change: RepositoryChange): Promise<ImageTriggerRow> {
    const row = this.rows.get(image) ?? { image, revisions: {} };
    const at = change.at.toISOString();
    const seen = Number(row.revisions[change.repository] ?? 0);
    const next: ImageTriggerRow = {
      ...row,
      lastRepoChangeAt: later(row.lastRepoChangeAt, at),
      revisions: { ...row.revisions, [change.repository]: Math.max(seen, change.revision) },
    };
    this.rows.set(image, next);
    return Promise.resolve(structuredClone(next));
  }

  markRequested(image: string, changeAt: string): Promise<void> {
    const row = this.rows.get(image) ?? { image, revisions: {} };
    this.rows.set(image, { ...row, requestedForChangeAt: later(row.requestedForChangeAt, changeAt) });
    return Promise.resolve();
  }
}

function later(stored: string | undefined, candidate: string): string {
  return stored !== undefined && Date.parse(stored) >= Date.parse(candidate) ? stored : candidate;
}

/**
 * The `image-builds` queue as Service Bus's duplicate detection makes it: a message whose id was sent before
 * is dropped (`dropped`), the others are kept in order (`sent`). `take` hands out the messages visible at
 * `now`, in the order they become visible, and removes them, as receiving and completing would.
 */
export class DeduplicatingImageBuildQueue implements ImageBuildQueue {
  readonly sent: ScheduledImageBuild[] = [];
  readonly dropped: ScheduledImageBuild[] = [];
  private readonly ids = new Set<string>();
  private waiting: ScheduledImageBuild[] = [];

  send(messages: readonly ScheduledImageBuild[]): Promise<void> {
    for (const message of messages) {
      if (this.ids.has(message.messageId)) {
        this.dropped.push(message);
        continue;
      }
      this.ids.add(message.messageId);
      this.sent.push(message);
      this.waiting.push(message);
    }
    return Promise.resolve();
  }

  take(now: Date): ScheduledImageBuild[] {
    const visible = this.waiting
      .filter((message) => message.notBefore.getTime() <= now.getTime())
      .sort((a, b) => a.notBefore.getTime() - b.notBefore.getTime());
    this.waiting = this.waiting.filter((message) => !visible.includes(message));
    return visible;
  }

  /** Messages not yet visible or not yet taken. */
  get pending(): readonly ScheduledImageBuild[] {
    return this.waiting;
  }
}

/** An image builder that records each request and answers from a script (default: queued). */
export class RecordingImageBuilds implements ImageBuildRequests {
  readonly requests: ImageBuildRequest[] = [];

  constructor(
    private readonly answer: (request: ImageBuildRequest) => ImageBuildRequestOutcome = (request) => ({
      kind: 'queued',
      image: request.image,
      fingerprint: 'sha256:new',
      buildId: `${request.image}-build`,
    }),
  ) {}

  requestBuild(request: ImageBuildRequest): Promise<ImageBuildRequestOutcome> {
    this.requests.push(request);
    return Promise.resolve(this.answer(request));
  }
}
