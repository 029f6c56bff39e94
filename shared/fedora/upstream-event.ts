import { z } from 'zod';

/**
 * One normalized upstream event: what a Fedora message means for a rebuild pipeline, whatever its topic and
 * serialized form. Produced by `normalize` (this folder), carried on the `ingest` queue as the message body,
 * read by the planner. Optional fields are absent when the message does not say.
 */
export const upstreamEventKinds = [
  'build-started',
  'build-complete',
  'build-failed',
  'build-canceled',
  'tagged',
  'untagged',
  'repo-regenerated',
  'update-requested',
  'update-testing',
  'update-stable',
  'dist-git-push',
  'upstream-release',
  'ftbfs-state-change',
  'compose',
] as const;
export type UpstreamEventKind = (typeof upstreamEventKinds)[number];

export const severities = ['debug', 'info', 'warning', 'error'] as const;

const build = z.object({
  name: z.string(),
  epoch: z.number().int().nullable().optional(),
  version: z.string(),
  release: z.string(),
  nvr: z.string(),
  kojiBuildId: z.number().int().optional(),
});
export type UpstreamBuild = z.infer<typeof build>;

export const upstreamEventSchema = z.object({
  /**
   * The Fedora message id (also the Service Bus message id, for duplicate detection); for a fedmsg-era record
   * without one, `derived-<sha256>` of its topic, timestamp and body (`shared/fedora/derived-message-id.ts`).
   */
  messageId: z.string().min(1),
  topic: z.string().min(1),
  kind: z.enum(upstreamEventKinds),
  /** Source package names (dist-git `rpms/` repository names); empty for a compose. */
  packages: z.array(z.string()),
  /** The builds the event is about, with their NVRs; one for Koji topics, several for a Bodhi update. */
  builds: z.array(build),
  kojiBuildId: z.number().int().optional(),
  kojiTaskId: z.number().int().optional(),
  /** Koji tag or build target, as the message says it (`f43-updates-testing-pending`, `f44`). */
  tag: z.string().optional(),
  /** The Fedora release the event belongs to: `f43`, `rawhide`, `epel10`, … */
  release: z.string().optional(),
  /** The dist-git branch (`f43`, `rawhide`) where the message names one. */
  branch: z.string().optional(),
  /** dist-git commit (full sha) where known. */
  commit: z.string().optional(),
  /** Bodhi update alias (`FEDORA-2025-…`), Pungi compose id, Anitya project, … */
  reference: z.string().optional(),
  /**
   * The state the message reports, as the source names it: Koji build state (`COMPLETE`, `FAILED`, …), Bodhi
   * request or status (`testing`, `stable`, …), Koschei package state (`failing`, `ok`, …), Pungi compose status
   * (`STARTED`, `FINISHED`, `DOOMED`, …). Absent when the topic itself is the state (tag, push, repo).
   */
  status: z.string().optional(),
  /** Upstream versions (Anitya). */
  upstreamVersions: z.array(z.string()).optional(),
  /** When Fedora sent the message (ISO 8601, UTC). */
  time: z.string(),
  severity: z.enum(severities),
});
export type UpstreamEvent = z.infer<typeof upstreamEventSchema>;

/** What became of one input message. */
export type NormalizeOutcome =
  | {
      readonly outcome: 'accepted';
      readonly id: string;
      readonly topic: string;
      readonly event: UpstreamEvent;
    }
  | { readonly outcome: 'ignored'; readonly id: string; readonly topic: string; readonly reason: string }
  | {
      readonly outcome: 'rejected';
      readonly id: string | undefined;
      readonly topic: string | undefined;
      readonly reason: string;
      /** The zod path of the problem, e.g. `body.build_id`. */
      readonly path: string;
    };
