import { z } from 'zod';
import { buildStates } from '../shared/build/build-state';
import { catchUpResultSchema } from '../shared/fedora/catch-up/result';
import { ingestResultSchema } from '../shared/fedora/ingest-port';
import { buildOpenApiDocument } from '../shared/openapi/document';
import type { OpenApiDocument } from '../shared/openapi/document';
import type { HttpRoute, OperationDescriptions, ResponseDescription } from '../shared/openapi/operation';
import { json, jsonBody, problemAnswer } from '../shared/openapi/operation';
import { ComponentConfigSchema } from '../shared/distro/schema/component';
import { specOriginSchema } from '../shared/distro/upstream';
import { messageFailureSchema } from '../shared/messaging/message-failures';
import { reasonSchema } from '../shared/planner/reason-schema';
import { buildRecordSchema } from '../shared/build-worker/build-record';
import {
  buildPageSchema,
  buildSummarySchema,
  componentStatusSchema,
  eventPageSchema,
  eventStatusSchema,
  failurePageSchema,
  planPageSchema,
  planStatusSchema,
  planSummarySchema,
  repositoryPageSchema,
  repositoryStatusSchema,
} from '../shared/status/schemas';
import { eventTypeDescriptionSchema } from '../shared/events/json-schema';
import { attemptPageSchema, attemptRecordSchema } from '../shared/webhooks/delivery';
import {
  pingAnswerSchema,
  recoverAnswerSchema,
  redeliverAnswerSchema,
} from '../shared/webhooks/delivery-answers';
import {
  createSubscriptionSchema,
  patchSubscriptionSchema,
  publicSubscriptionSchema,
} from '../shared/webhooks/subscription';
import { subscriptionWithSecretSchema } from '../shared/webhooks/subscriptions';
import { ingestAnswerSchema, ingestRequestSchema, fedoraMessageSchema } from './fedora-ingest';
import { healthReportSchema } from './health';
import {
  imageBuildQueuedSchema,
  imageBuildSchema,
  imageListSchema,
  imageVersionsSchema,
} from './image-build-schema';
import { openApiDocumentSchema } from './openapi';
import { DEFAULT_PAGE_LIMIT, MAX_PAGE_LIMIT } from './status';
import { eventTypesAnswerSchema } from './webhook-event-types';

/**
 * The API description: one entry per operation of the function table (`<METHOD> /<route>`), with the zod
 * schemas its handler parses and answers with, and examples. `GET /api/openapi.json` serves the document built
 * from it and `docs/openapi.json` is its committed copy (`npm run docs:openapi`). A route added to the table
 * without an entry here fails `tests/functions/api-description.test.ts` (and the document: see
 * `buildOpenApiDocument`).
 */

/** `GET /api/webhooks`. */
const subscriptionListSchema = z.object({ items: z.array(publicSubscriptionSchema) });

/** Every schema a body uses, by the name it has under `components.schemas`. */
export const apiSchemas: Readonly<Record<string, z.ZodType>> = {
  HealthReport: healthReportSchema,
  FedoraMessage: fedoraMessageSchema,
  IngestRequest: ingestRequestSchema,
  IngestResult: ingestResultSchema,
  IngestAnswer: ingestAnswerSchema,
  CatchUpResult: catchUpResultSchema,
  EventStatus: eventStatusSchema,
  EventPage: eventPageSchema,
  PlanSummary: planSummarySchema,
  PlanPage: planPageSchema,
  Reason: reasonSchema,
  BuildSummary: buildSummarySchema,
  PlanStatus: planStatusSchema,
  BuildPage: buildPageSchema,
  BuildRecord: buildRecordSchema,
  ComponentConfig: ComponentConfigSchema,
  SpecOrigin: specOriginSchema,
  ComponentStatus: componentStatusSchema,
  RepositoryStatus: repositoryStatusSchema,
  RepositoryPage: repositoryPageSchema,
  MessageFailure: messageFailureSchema,
  FailurePage: failurePageSchema,
  ImageList: imageListSchema,
  ImageBuild: imageBuildSchema,
  ImageVersions: imageVersionsSchema,
  ImageBuildQueued: imageBuildQueuedSchema,
  EventTypeDescription: eventTypeDescriptionSchema,
  EventTypes: eventTypesAnswerSchema,
  CreateSubscription: createSubscriptionSchema,
  PatchSubscription: patchSubscriptionSchema,
  Subscription: publicSubscriptionSchema,
  SubscriptionList: subscriptionListSchema,
  SubscriptionWithSecret: subscriptionWithSecretSchema,
  PingAnswer: pingAnswerSchema,
  AttemptRecord: attemptRecordSchema,
  AttemptPage: attemptPageSchema,
  RedeliverAnswer: redeliverAnswerSchema,
  RecoverAnswer: recoverAnswerSchema,
  OpenApiDocument: openApiDocumentSchema,
};

const AT = '2026-12-06T10:00:00.000Z';
const LATER = '2026-12-06T10:04:12.000Z';
const FINGERPRINT = 'sha256:3f2a9c01d4e5b6a7c8d9e0f1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5';
const BUILD_ID = 'zlib-ng@3f2a9c01d4e5b6a7';
const PLAN_ID = 'plan-20261206T100000Z-1';
const MESSAGE_ID = '2026-9b3c1f0e-5a7d-4c1e-8f3a-2d6b9e4c7a10';
const WEBHOOK_ID = 'wh_01JEXAMPLE7Q2';
const DELIVERY_ID = 'dlv_5e0c2d1f9a7b4c3e';

const page = z.object({
  limit: z
    .int()
    .min(1)
    .max(MAX_PAGE_LIMIT)
    .optional()
    .describe(`items per page, 1–${MAX_PAGE_LIMIT} (default ${DEFAULT_PAGE_LIMIT})`),
  continuationToken: z.string().optional().describe("the previous page's `continuationToken`"),
});

const idPath = (what: string) => z.object({ id: z.string().describe(what) });

const statusProblems = {
  400: problemAnswer('a query parameter is invalid', ['status.invalid-query', 'status.invalid-token']),
  503: problemAnswer(
    'this instance serves no status API, or a store is down (any retryable code)',
    ['status.not-configured'],
    { retryAfter: true },
  ),
} satisfies Record<number, ResponseDescription>;

const webhookUnavailable = problemAnswer(
  'this instance keeps no webhook subscriptions, or a store is down (any retryable code)',
  ['webhook.not-configured'],
  { retryAfter: true },
);
const unknownSubscription = problemAnswer('no subscription has this id', ['webhook.unknown-subscription']);
const imagesUnavailable = problemAnswer(
  'this instance keeps no image builds, or a store is down (any retryable code)',
  ['status.not-configured'],
  { retryAfter: true },
);

const subscription = {
  id: WEBHOOK_ID,
  url: 'https://hooks.example.com/azl',
  events: ['build.failed', 'repo.published'] as ('build.failed' | 'repo.published')[],
  filters: { components: ['zlib-ng'] },
  description: 'failed builds and new repository revisions',
  enabled: true,
  format: 'cloudevents' as const,
  createdAt: AT,
  updatedAt: AT,
};

const buildSummary = {
  buildId: BUILD_ID,
  component: 'zlib-ng',
  fingerprint: FINGERPRINT,
  planId: PLAN_ID,
  wave: 0,
  state: 'succeeded' as const,
  requestedAt: AT,
  attempts: 1,
  updatedAt: LATER,
};

const reason = {
  messageId: MESSAGE_ID,
  kind: 'koji.tag',
  package: 'zlib-ng',
  nvr: 'zlib-ng-2.2.5-1.fc43',
  component: 'zlib-ng',
};

const imageRecord = {
  image: 'azl-base',
  version: '20261206.1',
  fingerprint: FINGERPRINT,
  requestedAt: AT,
  state: 'published' as const,
  repositories: { 'base/x86_64': 42 },
  sizes: { virtualBytes: 4_294_967_296, vhdFileBytes: 4_294_967_808, dataBytes: 912_261_120 },
  urls: {
    vhd: 'https://example.blob.core.windows.net/images/azl-base/20261206.1/azl-base.vhd',
    manifest: 'https://example.blob.core.windows.net/images/azl-base/20261206.1/manifest.json',
    sbom: 'https://example.blob.core.windows.net/images/azl-base/20261206.1/sbom.spdx.json',
  },
  sha256: 'a3f1c2d4e5b6a7980112233445566778899aabbccddeeff00112233445566778',
  packages: 212,
  updatedAt: LATER,
};

export const apiOperations: OperationDescriptions = {
  'GET /health': {
    tag: 'operations',
    summary: 'Every dependency and its state',
    responses: {
      200: json('every dependency answered', healthReportSchema, {
        healthy: {
          status: 'healthy',
          checkedAt: AT,
          dependencies: [{ name: 'storage', state: 'healthy', detail: 'ok', latencyMs: 12 }],
        },
      }),
      503: json('a dependency did not answer, or the services could not start', healthReportSchema, {
        unhealthy: {
          status: 'unhealthy',
          checkedAt: AT,
          dependencies: [
            { name: 'servicebus', state: 'unhealthy', detail: 'no answer within 5000 ms', latencyMs: 5000 },
          ],
        },
      }),
    },
  },
  'GET /openapi.json': {
    tag: 'operations',
    summary: 'This description of the API (OpenAPI 3.1)',
    responses: {
      200: json('the document', openApiDocumentSchema, {
        smallest: {
          openapi: '3.1.0',
          info: { title: 'azl-rebuilder', version: '0.1.0', description: 'the HTTP API' },
          servers: [{ url: '/api' }],
          tags: [],
          paths: {},
          components: { schemas: {}, securitySchemes: {} },
        },
      }),
    },
  },
  'POST /fedora/messages': {
    tag: 'ingest',
    summary: 'Hand in Fedora messages',
    description:
      'One Fedora message or an array of them, in any of the three serialized forms. Each is normalized, ' +
      'deduplicated and queued, or quarantined with its reason; the answer gives each outcome in order.',
    requestBody: {
      required: true,
      ...jsonBody(ingestRequestSchema, {
        wire: {
          id: MESSAGE_ID,
          topic: 'org.fedoraproject.prod.buildsys.tag',
          headers: { 'sent-at': '2026-12-06T09:58:00+00:00', fedora_messaging_severity: 20 },
          body: {
            build_id: 2913001,
            name: 'zlib-ng',
            version: '2.2.5',
            release: '1.fc43',
            tag: 'f43-updates',
          },
        },
      }),
    },
    responses: {
      202: json('each message with its outcome', ingestAnswerSchema, {
        accepted: {
          received: 2,
          results: [
            { id: MESSAGE_ID, topic: 'org.fedoraproject.prod.buildsys.tag', outcome: 'accepted' },
            {
              id: '2026-0c1d2e3f-4a5b-4c6d-8e7f-8091a2b3c4d5',
              topic: 'org.fedoraproject.prod.buildsys.tag',
              outcome: 'duplicate',
              reason: 'accepted before',
            },
          ],
        },
      }),
      400: problemAnswer('the body is not JSON', ['ingest.invalid-json']),
      413: problemAnswer('the body is larger than 1 MiB', ['ingest.too-large']),
      503: problemAnswer('nothing was queued: send the messages again (any retryable code)', [], {
        retryAfter: true,
      }),
    },
  },
  'POST /fedora/catch-up': {
    tag: 'ingest',
    summary: 'Run a datagrepper catch-up now',
    responses: {
      200: json('what the run read and handed to ingest', catchUpResultSchema, {
        caughtUp: {
          windows: 3,
          messages: 41,
          submitted: 41,
          outcomes: { accepted: 2, duplicate: 37, ignored: 2, rejected: 0 },
          requests: 4,
          checkpointBefore: { through: 1796464200 },
          checkpointAfter: { through: 1796464740 },
          ended: 'caught-up',
          behindSeconds: 0,
        },
      }),
      409: problemAnswer('the catch-up is switched off', ['catch-up.disabled']),
      503: problemAnswer(
        'datagrepper or the checkpoint store is down (any retryable code)',
        ['datagrepper.unavailable'],
        { retryAfter: true },
      ),
    },
  },
  'GET /events': {
    tag: 'status',
    summary: 'Fedora messages by outcome, newest first',
    query: page.extend({
      outcome: z
        .enum(['accepted', 'duplicate', 'rejected'])
        .optional()
        .describe('which messages (default accepted)'),
    }),
    responses: {
      200: json('a page of messages', eventPageSchema, {
        accepted: {
          items: [
            {
              outcome: 'accepted',
              messageId: MESSAGE_ID,
              topic: 'org.fedoraproject.prod.buildsys.tag',
              kind: 'koji.tag',
              packages: ['zlib-ng'],
              sentAt: '2026-12-06T09:58:00.000Z',
              source: 'http',
              receivedAt: AT,
            },
          ],
          continuationToken: 'eyJuZXh0IjoiMiJ9',
        },
      }),
      ...statusProblems,
    },
  },
  'GET /plans': {
    tag: 'status',
    summary: 'Planning passes, newest first',
    query: page,
    responses: {
      200: json('a page of plans', planPageSchema, {
        one: {
          items: [
            {
              planId: PLAN_ID,
              createdAt: AT,
              messageCount: 1,
              plannedCount: 3,
              skippedCount: 0,
              cycleCount: 0,
              waveCount: 2,
            },
          ],
        },
      }),
      ...statusProblems,
    },
  },
  'GET /plans/{id}': {
    tag: 'status',
    summary: 'One plan, with a page of its items',
    path: idPath('the plan id'),
    query: page,
    responses: {
      200: json('the plan', planStatusSchema, {
        plan: {
          planId: PLAN_ID,
          createdAt: AT,
          messageCount: 1,
          plannedCount: 1,
          skippedCount: 0,
          cycleCount: 0,
          waveCount: 1,
          items: {
            items: [
              {
                component: 'zlib-ng',
                wave: 0,
                priority: 0,
                fingerprint: FINGERPRINT,
                reasons: [reason],
                reasonCount: 1,
              },
            ],
          },
        },
      }),
      404: problemAnswer('no plan with this id', ['status.unknown-plan']),
      ...statusProblems,
    },
  },
  'GET /builds': {
    tag: 'status',
    summary: 'Builds, newest first',
    query: page.extend({
      component: z.string().optional().describe("only this component's builds"),
      state: z.enum(buildStates).optional().describe('only builds in this state'),
    }),
    responses: {
      200: json('a page of builds', buildPageSchema, { one: { items: [buildSummary] } }),
      ...statusProblems,
    },
  },
  'GET /builds/{id}': {
    tag: 'status',
    summary: 'One build, whole',
    path: idPath('`<component>@<16 hex of the fingerprint>`'),
    responses: {
      200: json('the build record', buildRecordSchema, {
        succeeded: {
          buildId: BUILD_ID,
          component: 'zlib-ng',
          fingerprint: FINGERPRINT,
          planId: PLAN_ID,
          wave: 0,
          requestedAt: AT,
          state: 'succeeded',
          history: [
            { state: 'queued', at: AT },
            { state: 'building', at: '2026-12-06T10:00:05.000Z' },
            { state: 'succeeded', at: LATER },
          ],
          attempts: 1,
          builder: 'local-rpmbuild',
          startedAt: '2026-12-06T10:00:05.000Z',
          finishedAt: LATER,
          durationMs: 247000,
          nevras: ['zlib-ng-2.2.5-1.azl4.x86_64'],
          repositories: ['base/x86_64'],
        },
      }),
      404: problemAnswer('no build with this id', ['status.unknown-build']),
      ...statusProblems,
    },
  },
  'GET /components/{name}': {
    tag: 'status',
    summary: 'A component: its effective config, recent builds and why it was last rebuilt',
    path: z.object({ name: z.string().describe('the component name') }),
    responses: {
      200: json('the component', componentStatusSchema, {
        upstream: {
          component: 'zlib-ng',
          effective: {
            file: 'components/zlib-ng.comp.toml',
            distro: { name: 'fedora', version: '43' },
            groups: ['core'],
            origin: {
              kind: 'upstream',
              upstreamName: 'zlib-ng',
              distro: 'fedora',
              version: '43',
              distGitUrl: 'https://src.fedoraproject.org/rpms/zlib-ng.git',
              branch: 'f43',
              choice: 'head',
            },
            config: { spec: { type: 'upstream' } },
            fingerprint: FINGERPRINT,
          },
          lastSuccessfulFingerprint: FINGERPRINT,
          recentBuilds: [buildSummary],
          lastRebuild: { buildId: BUILD_ID, planId: PLAN_ID, reasons: [reason] },
        },
      }),
      404: problemAnswer('no component with this name', ['status.unknown-component']),
      ...statusProblems,
    },
  },
  'GET /repos': {
    tag: 'status',
    summary: 'The published repositories, with what dnf needs to use each',
    query: page,
    responses: {
      200: json('a page of repositories', repositoryPageSchema, {
        one: {
          items: [
            {
              repository: 'base/x86_64',
              revision: 42,
              packageCount: 1873,
              lastPublishedAt: LATER,
              baseUrl: 'https://example.blob.core.windows.net/repos/base/x86_64/',
              repoFileUrl: 'https://example.blob.core.windows.net/repos/base/x86_64/azl-base-x86_64.repo',
              dnf: 'dnf --repofrompath=azl-base-x86_64,https://example.blob.core.windows.net/repos/base/x86_64/ --repo=azl-base-x86_64 --setopt=azl-base-x86_64.gpgcheck=0 repoquery',
            },
          ],
        },
      }),
      ...statusProblems,
    },
  },
  'GET /failures': {
    tag: 'status',
    summary: 'Why messages could not be handled (beside the dead-letter queues)',
    query: page.extend({
      entity: z.string().optional().describe('only this queue or `<topic>/<subscription>`'),
    }),
    responses: {
      200: json('a page of failures', failurePageSchema, {
        one: {
          items: [
            {
              entity: 'builds',
              messageId: 'build:zlib-ng:3f2a9c01d4e5b6a7',
              code: 'message.invalid',
              message: 'component: expected a string',
              retryable: false,
              context: { field: 'component' },
              deliveryCount: 1,
              at: AT,
            },
          ],
        },
      }),
      ...statusProblems,
    },
  },
  'GET /images': {
    tag: 'images',
    summary: 'Every image that has a build, with its newest build',
    responses: {
      200: json('the images, by name', imageListSchema, {
        one: { images: [{ image: 'azl-base', latest: imageRecord }] },
      }),
      503: imagesUnavailable,
    },
  },
  'GET /images/{name}': {
    tag: 'images',
    summary: 'Every build of an image, newest first',
    path: z.object({ name: z.string().describe('the image name') }),
    responses: {
      200: json('the builds', imageVersionsSchema, {
        one: {
          image: 'azl-base',
          versions: [
            {
              ...imageRecord,
              history: [
                { state: 'queued', at: AT },
                { state: 'building', at: '2026-12-06T10:00:03.000Z' },
                { state: 'uploading', at: '2026-12-06T10:03:30.000Z' },
                { state: 'published', at: LATER },
              ],
            },
          ],
        },
      }),
      404: problemAnswer('no build of an image of this name', ['image.unknown-image']),
      503: imagesUnavailable,
    },
  },
  'POST /images/{name}/builds': {
    tag: 'images',
    summary: 'Queue a build of the image now',
    path: z.object({ name: z.string().describe('the image name, as the distro tree defines it') }),
    responses: {
      202: json('the build asked for is queued', imageBuildQueuedSchema, {
        queued: {
          image: 'azl-base',
          queued: { messageId: 'image-build:azl-base:requested:1796464800000', trigger: 'requested', at: AT },
        },
      }),
      404: problemAnswer('the distro tree has no image of this name', ['image.unknown-image']),
      503: problemAnswer(
        'no image trigger or image builder here, or a store is down',
        ['image.builds-not-configured'],
        { retryAfter: true },
      ),
    },
  },
  'GET /dashboard': {
    tag: 'dashboard',
    summary: 'The dashboard page',
    responses: {
      200: { description: 'the page', body: { contentType: 'text/html', description: 'the HTML page' } },
      503: problemAnswer('this instance serves no dashboard', ['status.not-configured']),
    },
  },
  'GET /dashboard/{file}': {
    tag: 'dashboard',
    summary: "One of the dashboard page's files (script, style sheet)",
    path: z.object({ file: z.string().describe('the file name, e.g. `app.js`') }),
    responses: {
      200: {
        description: 'the file, with its content type',
        body: { contentType: '*/*', description: 'the file' },
      },
      404: problemAnswer('the dashboard has no file of this name', ['dashboard.unknown-asset']),
      503: problemAnswer('this instance serves no dashboard', ['status.not-configured']),
    },
  },
  'GET /webhooks/event-types': {
    tag: 'webhooks',
    summary: 'Every event type one can subscribe to, with the JSON Schema of its data',
    responses: {
      200: json('the catalogue', eventTypesAnswerSchema, {
        one: {
          specversion: '1.0',
          typePrefix: 'com.azurelinux.rebuilder.',
          types: [
            {
              type: 'repo.published',
              cloudEventType: 'com.azurelinux.rebuilder.repo.published',
              version: 1,
              description: 'a repository has a new revision',
              subject: 'the repository',
              dataschema: 'urn:azl-rebuilder:events:repo.published:v1',
              producedLater: false,
              dataSchema: { type: 'object' },
            },
          ],
        },
      }),
    },
  },
  'POST /webhooks': {
    tag: 'webhooks',
    summary: 'Subscribe an endpoint to events',
    requestBody: {
      required: true,
      ...jsonBody(createSubscriptionSchema, {
        failures: {
          url: 'https://hooks.example.com/azl',
          events: ['build.failed', 'repo.published'],
          filters: { components: ['zlib-ng'] },
          description: 'failed builds and new repository revisions',
        },
      }),
    },
    responses: {
      201: json('the subscription and its signing secret, shown this once', subscriptionWithSecretSchema, {
        created: { ...subscription, secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw' },
      }),
      400: problemAnswer('a field is invalid, or the URL is refused', [
        'webhook.invalid-subscription',
        'webhook.destination-refused',
      ]),
      503: webhookUnavailable,
    },
  },
  'GET /webhooks': {
    tag: 'webhooks',
    summary: 'Every subscription (without secrets)',
    responses: {
      200: json('the subscriptions', subscriptionListSchema, {
        one: { items: [subscription] },
      }),
      503: webhookUnavailable,
    },
  },
  'GET /webhooks/{id}': {
    tag: 'webhooks',
    summary: 'One subscription (without its secret)',
    path: idPath('the subscription id'),
    responses: {
      200: json('the subscription', publicSubscriptionSchema, { healthy: subscription }),
      404: unknownSubscription,
      503: webhookUnavailable,
    },
  },
  'PATCH /webhooks/{id}': {
    tag: 'webhooks',
    summary: 'Change a subscription: the fields given replace the stored ones',
    path: idPath('the subscription id'),
    requestBody: {
      required: true,
      ...jsonBody(patchSubscriptionSchema, { disable: { enabled: false } }),
    },
    responses: {
      200: json('the subscription as changed', publicSubscriptionSchema, {
        disabled: { ...subscription, enabled: false, updatedAt: LATER },
      }),
      400: problemAnswer('a field is invalid, or the URL is refused', [
        'webhook.invalid-subscription',
        'webhook.destination-refused',
      ]),
      404: unknownSubscription,
      503: webhookUnavailable,
    },
  },
  'DELETE /webhooks/{id}': {
    tag: 'webhooks',
    summary: 'Remove a subscription',
    path: idPath('the subscription id'),
    responses: {
      204: { description: 'removed' },
      404: unknownSubscription,
      503: webhookUnavailable,
    },
  },
  'POST /webhooks/{id}/rotate-secret': {
    tag: 'webhooks',
    summary: 'A new signing secret; the old one keeps signing for a day',
    path: idPath('the subscription id'),
    responses: {
      200: json('the subscription and its new secret, shown this once', subscriptionWithSecretSchema, {
        rotated: { ...subscription, updatedAt: LATER, secret: 'whsec_QmFzZTY0U2VjcmV0T2ZUd2VudHlGb3VyQnk=' },
      }),
      404: unknownSubscription,
      503: webhookUnavailable,
    },
  },
  'POST /webhooks/{id}/ping': {
    tag: 'webhooks',
    summary: 'Send a `webhook.ping` event to the endpoint',
    path: idPath('the subscription id'),
    responses: {
      202: json('the ping is on its way', pingAnswerSchema, {
        queued: {
          endpointId: WEBHOOK_ID,
          deliveryId: DELIVERY_ID,
          eventId: 'webhook.ping:wh_01JEXAMPLE7Q2:1',
        },
      }),
      404: unknownSubscription,
      409: problemAnswer('the endpoint is disabled', ['webhook.endpoint-disabled']),
      503: webhookUnavailable,
    },
  },
  'GET /webhooks/{id}/deliveries': {
    tag: 'webhooks',
    summary: "The endpoint's delivery attempts, newest first",
    path: idPath('the subscription id'),
    query: z.object({
      limit: z.int().min(1).max(200).optional().describe('attempts per page, 1–200'),
      continuationToken: z.string().optional().describe("the previous page's `continuationToken`"),
    }),
    responses: {
      200: json('a page of attempts', attemptPageSchema, {
        one: {
          attempts: [
            {
              endpointId: WEBHOOK_ID,
              attemptId: '9998232399999-0001',
              deliveryId: DELIVERY_ID,
              eventId: 'repo.published:base/x86_64:42',
              eventType: 'repo.published',
              round: 1,
              attempt: 1,
              trigger: 'event',
              at: LATER,
              result: 'delivered',
              status: 204,
              latencyMs: 83,
            },
          ],
        },
      }),
      400: problemAnswer('`limit` is not a whole number from 1 to 200', ['webhook.invalid-request']),
      404: unknownSubscription,
      503: webhookUnavailable,
    },
  },
  'POST /webhooks/{id}/deliveries/{deliveryId}/redeliver': {
    tag: 'webhooks',
    summary: 'Send a logged delivery again (a new round, the same `webhook-id`)',
    path: idPath('the subscription id').extend({
      deliveryId: z.string().describe('the delivery, from the delivery log'),
    }),
    responses: {
      202: json('the new round is on its way', redeliverAnswerSchema, {
        queued: { deliveryId: DELIVERY_ID, round: 2 },
      }),
      404: problemAnswer('no such subscription or delivery', [
        'webhook.unknown-subscription',
        'webhook.unknown-delivery',
      ]),
      409: problemAnswer('the endpoint is disabled', ['webhook.endpoint-disabled']),
      503: webhookUnavailable,
    },
  },
  'POST /webhooks/{id}/recover': {
    tag: 'webhooks',
    summary: 'Send again every delivery that failed since a time',
    path: idPath('the subscription id'),
    query: z.object({
      since: z.string().describe('ISO 8601 time, e.g. 2026-12-06T10:00:00Z'),
    }),
    responses: {
      202: json('the failed deliveries are on their way again', recoverAnswerSchema, {
        two: { redelivered: 2, deliveryIds: [DELIVERY_ID, 'dlv_7a1b2c3d4e5f6071'] },
      }),
      400: problemAnswer('`since` is not an ISO 8601 time', ['webhook.invalid-request']),
      404: unknownSubscription,
      409: problemAnswer('the endpoint is disabled', ['webhook.endpoint-disabled']),
      503: webhookUnavailable,
    },
  },
};

/**
 * The version of this description (OpenAPI `info.version`), not of the app: the major goes up when an
 * operation or an answer changes in a way that breaks a client (a field removed, renamed or retyped), the
 * minor when one is added. Kept apart from package.json so that a release alone does not change the document.
 */
export const API_VERSION = '1.0.0';

/** The document for the table's HTTP routes. */
export function describeApi(routes: readonly HttpRoute[], version = API_VERSION): OpenApiDocument {
  return buildOpenApiDocument({
    title: 'azl-rebuilder',
    version,
    description:
      'The HTTP API of the azl-rebuilder Function App: Fedora message ingest, the status API, images, ' +
      'webhook subscriptions and the dashboard. Errors answer `{code, message}` with a code of the catalogue ' +
      '(README "Error codes"); a 503 carries `Retry-After`.',
    routes,
    operations: apiOperations,
    schemas: apiSchemas,
  });
}
