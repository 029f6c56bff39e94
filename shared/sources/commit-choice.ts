import { invalidName } from './source-errors';
import { validateCommit } from './names';

/**
 * Which dist-git commit to prepare, in order of precedence:
 *
 * 1. the event's commit (a dist-git push names exactly what to rebuild);
 * 2. the component's pinned `upstream-commit`;
 * 3. the last first-parent commit on the branch committed before the snapshot time
 *    (`git rev-list -1 --first-parent --before=<snapshot> <branch>`, as azldev does);
 * 4. the branch head.
 */
export type CommitChoice =
  | { readonly kind: 'event'; readonly commit: string }
  | { readonly kind: 'pin'; readonly commit: string }
  | { readonly kind: 'snapshot'; readonly before: Date }
  | { readonly kind: 'head' };

export interface CommitInputs {
  readonly eventCommit?: string | undefined;
  readonly pinnedCommit?: string | undefined;
  /** RFC 3339 text (e.g. `2026-02-24T00:00:00-08:00`) or a Date. */
  readonly snapshot?: string | Date | undefined;
}

export function chooseCommit(inputs: CommitInputs): CommitChoice {
  if (inputs.eventCommit) return { kind: 'event', commit: validateCommit(inputs.eventCommit, 'eventCommit') };
  if (inputs.pinnedCommit)
    return { kind: 'pin', commit: validateCommit(inputs.pinnedCommit, 'pinnedCommit') };
  if (inputs.snapshot !== undefined && inputs.snapshot !== '') {
    return { kind: 'snapshot', before: parseSnapshot(inputs.snapshot) };
  }
  return { kind: 'head' };
}

function parseSnapshot(snapshot: string | Date): Date {
  const text = snapshot instanceof Date ? snapshot.toISOString() : snapshot;
  const date = snapshot instanceof Date ? snapshot : new Date(snapshot);
  const rfc3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i;
  if (Number.isNaN(date.getTime()) || (typeof snapshot === 'string' && !rfc3339.test(snapshot))) {
    throw invalidName('snapshot', text, 'must be an RFC 3339 time with a zone');
  }
  return date;
}

/** A short description for logs and the manifest: `event abc1234`, `snapshot 2026-02-24T08:00:00.000Z`. */
export function describeChoice(choice: CommitChoice): string {
  switch (choice.kind) {
    case 'event':
    case 'pin':
      return `${choice.kind} ${choice.commit}`;
    case 'snapshot':
      return `snapshot ${choice.before.toISOString()}`;
    case 'head':
      return 'head';
  }
}
