import { z } from 'zod';
import { buildStates } from '../build/build-state';
import { ComponentConfigSchema } from '../distro/schema/component';
import { specOriginSchema } from '../distro/upstream';
import { messageFailureSchema } from '../messaging/message-failures';
import { reasonSchema } from '../planner/reason-schema';
import { describes } from '../schema-matches';
import type {
  BuildSummary,
  ComponentStatus,
  EventStatus,
  Page,
  PlanItemStatus,
  PlanStatus,
  PlanSummary,
  RepositoryStatus,
} from './ports';

/**
 * The status API's answers as zod schemas, for its OpenAPI description: each is checked against the port's
 * interface (`describes`), so a field added to one and not the other does not compile.
 */

const continuationToken = z
  .string()
  .optional()
  .describe('pass back as `?continuationToken=` for the next page; absent on the last page');

/** A page of `item`s (`Page<T>`). */
const pageOf = <S extends z.ZodType>(item: S) => z.object({ items: z.array(item), continuationToken });

export const eventStatusSchema = describes<EventStatus>()(
  z.object({
    outcome: z.enum(['accepted', 'duplicate', 'rejected']),
    messageId: z.string().nullable(),
    topic: z.string().optional(),
    kind: z.string().optional(),
    packages: z.array(z.string()).optional(),
    sentAt: z.string().optional(),
    reason: z.string().optional().describe('rejected or duplicate: why'),
    path: z.string().optional().describe('rejected: where in the message'),
    source: z.string().optional().describe('`http`, `datagrepper`, `amqp-bridge` or `replay`'),
    quarantineBlob: z.string().optional().describe('rejected: the blob holding the message'),
    receivedAt: z.string().optional(),
  }),
);

export const planSummarySchema = describes<PlanSummary>()(
  z.object({
    planId: z.string(),
    createdAt: z.string(),
    messageCount: z.int().min(0),
    plannedCount: z.int().min(0),
    skippedCount: z.int().min(0),
    cycleCount: z.int().min(0),
    waveCount: z.int().min(0),
  }),
);

export const planItemStatusSchema = describes<PlanItemStatus>()(
  z.object({
    component: z.string(),
    wave: z.int().min(0),
    priority: z.int(),
    fingerprint: z.string(),
    reasons: z.array(reasonSchema).describe('the first 200 reasons'),
    reasonCount: z
      .int()
      .min(0)
      .describe(
        'how many reasons the item has: exact when the planner kept them all; when it kept only some (its own events, and at most 3 from the changed components that reach it), a lower bound',
      ),
  }),
);

export const planStatusSchema = describes<PlanStatus>()(
  planSummarySchema.extend({ items: pageOf(planItemStatusSchema).describe("one page of the plan's items") }),
);

export const buildSummarySchema = describes<BuildSummary>()(
  z.object({
    buildId: z.string(),
    component: z.string(),
    fingerprint: z.string(),
    planId: z.string(),
    wave: z.int().min(0),
    state: z.enum(buildStates),
    requestedAt: z.string(),
    attempts: z.int().min(0),
    updatedAt: z.string(),
  }),
);

export const componentStatusSchema = describes<ComponentStatus>()(
  z.object({
    component: z.string(),
    effective: z
      .object({
        file: z.string(),
        distro: z.object({ name: z.string(), version: z.string() }).nullable(),
        groups: z.array(z.string()),
        origin: specOriginSchema,
        config: ComponentConfigSchema,
        fingerprint: z.string(),
      })
      .optional()
      .describe('from the distro tree; absent when this instance has none'),
    effectiveError: z
      .object({ code: z.string(), message: z.string() })
      .optional()
      .describe('why the distro tree could not give the effective config'),
    lock: z.unknown().optional(),
    lastSuccessfulFingerprint: z.string().optional(),
    latestRequest: z.object({ fingerprint: z.string(), requestedAt: z.string() }).optional(),
    recentBuilds: z.array(buildSummarySchema),
    lastRebuild: z
      .object({ buildId: z.string(), planId: z.string(), reasons: z.array(reasonSchema) })
      .optional()
      .describe('why it was last rebuilt'),
  }),
);

export const repositoryStatusSchema = describes<RepositoryStatus>()(
  z.object({
    repository: z.string().describe('`<channel>/<arch>`, `<channel>/debuginfo/<arch>` or `<channel>/srpms`'),
    revision: z.int().min(1),
    packageCount: z.int().min(0),
    lastPublishedAt: z.string(),
    baseUrl: z.string().describe('where dnf reads the repository'),
    repoFileUrl: z.string().describe('its .repo file, for /etc/yum.repos.d/'),
    dnf: z.string().describe('the dnf command that lists its packages'),
  }),
);

export const eventPageSchema = describes<Page<EventStatus>>()(pageOf(eventStatusSchema));
export const planPageSchema = describes<Page<PlanSummary>>()(pageOf(planSummarySchema));
export const buildPageSchema = describes<Page<BuildSummary>>()(pageOf(buildSummarySchema));
export const repositoryPageSchema = describes<Page<RepositoryStatus>>()(pageOf(repositoryStatusSchema));
export const failurePageSchema = describes<Page<z.output<typeof messageFailureSchema>>>()(
  pageOf(messageFailureSchema),
);
