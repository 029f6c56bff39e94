import { z } from 'zod';

/**
 * Every event type the pipeline emits, defined once: the schema of its `data`, its version and one line saying
 * what happened. Producers build their events through `pipelineEvent` (pipeline-event.ts), which parses the
 * data with this schema, so a payload that does not fit fails where it is made (and in its producer's tests),
 * never at a receiver. The JSON Schema file, the `GET /api/webhooks/event-types` answer and the README's
 * "Events" table are generated from this list.
 *
 * A version goes up when a change could break a receiver (a field removed, renamed or retyped); adding an
 * optional field keeps it.
 */
export interface EventDefinition<Data extends z.ZodType = z.ZodType> {
  readonly version: number;
  /** One line for people: what happened. */
  readonly description: string;
  /** What the CloudEvent's `subject` names for this type. */
  readonly subject: string;
  readonly data: Data;
  /** Defined, but nothing emits it yet (the piece that will is named in the description). */
  readonly producedLater?: true;
}

const component = z.string().min(1).max(200);
const nevra = z.string().min(1);
const buildError = z.object({ code: z.string().min(1), message: z.string(), retryable: z.boolean() });

/** The fields every `image.*` event carries: which image, which version, built from what. */
const imageData = z.object({
  image: z.string().min(1).max(200),
  version: z
    .string()
    .min(1)
    .describe('the image version (`<yyyymmdd>.<n>`-like, as the image build names it)'),
  fingerprint: z.string().min(1).describe('definition and repository revisions the build is of'),
  repositories: z
    .record(z.string(), z.int().min(1))
    .describe('the repositories the image is built from, each with its revision'),
});

/** The fields every `build.*` event carries: the build record's identity and the try it is on. */
const buildFields = {
  buildId: z
    .string()
    .min(1)
    .describe('`<component>@<16 hex of the fingerprint>`, as the status API names it'),
  component,
  fingerprint: z.string().min(1),
  planId: z.string().min(1),
  attempt: z.int().min(0).describe('the try this event is about (transient failures are retried)'),
};

const buildData = <State extends string>(states: readonly [State, ...State[]]) =>
  z.object({
    ...buildFields,
    state: z.enum(states),
    nevras: z.array(nevra).optional().describe('the packages the build produced'),
    repositories: z.array(z.string()).optional().describe('the repositories it was sent to'),
    error: buildError.optional(),
  });

export const eventCatalogue = {
  'plan.created': {
    version: 1,
    description: 'a planning pass decided what to rebuild and queued the builds',
    subject: 'the plan id',
    data: z.object({
      planId: z.string().min(1),
      messages: z.int().min(0).describe('upstream messages the plan decided'),
      planned: z.array(
        z.object({ component, wave: z.int().min(0), priority: z.int() }).describe('one queued build'),
      ),
      skipped: z.int().min(0),
      cycles: z.int().min(0),
    }),
  },
  'build.started': {
    version: 1,
    description: 'a build began (rpmbuild started here, or a cloud execution was dispatched)',
    subject: 'the component',
    data: buildData(['building']),
  },
  'build.succeeded': {
    version: 1,
    description: 'a build produced new packages and sent them to their repositories',
    subject: 'the component',
    data: buildData(['succeeded']).required({ nevras: true }),
  },
  'build.unchanged': {
    version: 1,
    description: 'a build succeeded with the same contents as the last success, so nothing is published',
    subject: 'the component',
    data: buildData(['unchanged']).required({ nevras: true }),
  },
  'build.failed': {
    version: 1,
    description:
      'a build failed for good (retries used up, or an error retrying cannot fix), or was cancelled',
    subject: 'the component',
    data: buildData(['failed', 'cancelled']),
  },
  'build.overlay-drift': {
    version: 1,
    description:
      "an overlay no longer applies to the upstream spec, so the component needs a maintainer's fix",
    subject: 'the component',
    data: buildData(['overlay-drift']).required({ error: true }),
  },
  'repo.published': {
    version: 1,
    description: 'a repository committed a new revision (its repomd.xml moved)',
    subject: 'the repository id',
    data: z.object({
      repository: z.string().min(1),
      revision: z.int().min(1),
      added: z.array(nevra),
      removed: z.array(nevra),
      baseUrl: z.url().describe('where `dnf` reads the repository'),
      repoFileUrl: z
        .url()
        .optional()
        .describe(
          'its `.repo` file beside `repodata/`, for `/etc/yum.repos.d/` (set by every publisher since issue 19)',
        ),
      dnf: z
        .string()
        .min(1)
        .optional()
        .describe(
          'a `dnf … repoquery` command line that lists its packages from `baseUrl` (set since issue 19)',
        ),
    }),
  },
  'image.published': {
    version: 1,
    description: 'a preview VM image was built from the published repositories and uploaded as a fixed VHD',
    subject: 'the image name',
    data: imageData.extend({
      blobUrl: z.url().describe('the fixed VHD page blob (anonymous read)'),
      manifestUrl: z
        .url()
        .describe('manifest.json beside the VHD: installed NEVRAs, sources, sizes, SHA-256'),
      sbomUrl: z.url().optional().describe('the SPDX 2.3 JSON SBOM of the installed packages'),
      sha256: z
        .string()
        .regex(/^[0-9a-f]{64}$/)
        .describe('SHA-256 of the whole VHD'),
      virtualSizeBytes: z.int().min(1),
      packages: z.int().min(0).describe('packages installed in the image'),
      missing: z
        .array(z.string())
        .describe('packages the definition asked for that no repository had (allow-missing)'),
      galleryImageVersionId: z
        .string()
        .optional()
        .describe('the Azure Compute Gallery image version, when registered'),
    }),
  },
  'image.failed': {
    version: 1,
    description: 'a preview VM image build failed (the previous published version stays where it was)',
    subject: 'the image name',
    data: imageData.extend({ error: buildError }),
  },
  'upstream.pinned': {
    version: 1,
    description: 'upstream moved, but the component is pinned to a commit, so it was not rebuilt',
    subject: 'the component',
    data: z.object({
      component,
      pin: z.string().min(1).describe('the pinned upstream commit'),
      upstreamNvr: z.string().optional().describe('the upstream build not followed'),
      upstreamCommit: z.string().optional(),
      messageId: z
        .string()
        .min(1)
        .describe(
          'the upstream message that was not followed: its Fedora id, or derived-<sha256> for a fedmsg-era record without one',
        ),
      planId: z.string().min(1).describe('the plan that skipped it'),
    }),
  },
  'webhook.endpoint-disabled': {
    version: 1,
    description:
      'a webhook endpoint was disabled: it answered 410 Gone, or failed every attempt for too long',
    subject: 'the endpoint id',
    data: z.object({
      endpointId: z.string().min(1),
      reason: z.enum(['gone', 'failing']),
      detail: z.string().max(500),
      failingSince: z.iso.datetime().optional(),
    }),
  },
  'webhook.ping': {
    version: 1,
    description: 'a test event sent to one endpoint on request, by POST /api/webhooks/{id}/ping',
    subject: 'the endpoint id',
    data: z.object({ endpointId: z.string().min(1) }),
  },
} as const satisfies Record<string, EventDefinition>;

export type EventType = keyof typeof eventCatalogue;
export type EventData<T extends EventType> = z.infer<(typeof eventCatalogue)[T]['data']>;

/** The catalogue's types, in catalogue order. */
export const eventTypes = Object.keys(eventCatalogue) as EventType[];

export const isEventType = (value: string): value is EventType => Object.hasOwn(eventCatalogue, value);

export function definitionOf(type: EventType): EventDefinition {
  return eventCatalogue[type];
}
