import type { BuildRecord } from '../../shared/build-worker';
import type { UpstreamEvent } from '../../shared/fedora/upstream-event';
import type { MessageFailure } from '../../shared/messaging/message-failures';
import type { RowOf, storageTables } from '../../shared/storage';

type Tables = typeof storageTables;

/** One row per catalogue table; the type makes a new table without a sample fail to compile. */
export type CatalogueRows = { readonly [K in keyof Tables]: RowOf<Tables[K]> };

const FINGERPRINT = `sha256:${'3f2a9c01d4e5b6a7'.padEnd(64, 'c')}`;
const AT = '2026-12-01T21:40:00.000Z';

/** Every optional field present, so a round trip that drops one fails. */
const event: Required<UpstreamEvent> = {
  messageId: '2026-7f1e#a/b?c',
  topic: 'org.fedoraproject.prod.buildsys.tag',
  kind: 'tagged',
  packages: ['zlib-ng', 'libpng'],
  builds: [
    {
      name: 'zlib-ng',
      epoch: null,
      version: '2.2.4',
      release: '1.fc43',
      nvr: 'zlib-ng-2.2.4-1.fc43',
      kojiBuildId: 7,
    },
  ],
  kojiBuildId: 7,
  kojiTaskId: 8,
  tag: 'f43-updates',
  release: 'f43',
  branch: 'f43',
  commit: 'a'.repeat(40),
  reference: 'FEDORA-2026-1',
  status: 'COMPLETE',
  upstreamVersions: ['2.2.4'],
  time: '2026-12-01T21:39:00Z',
  severity: 'info',
};

const build: Required<BuildRecord> = {
  buildId: 'zlib-ng@3f2a9c01d4e5b6a7',
  component: 'zlib-ng',
  fingerprint: FINGERPRINT,
  planId: 'plan-20261201T214000Z-1a2b3c4d',
  wave: 1,
  requestedAt: AT,
  state: 'failed',
  history: [
    { state: 'queued', at: AT },
    { state: 'failed', at: '2026-12-01T21:45:00.000Z', detail: 'rpmbuild failed' },
  ],
  attempts: 2,
  builder: 'rpmbuild',
  startedAt: '2026-12-01T21:41:00.000Z',
  finishedAt: '2026-12-01T21:45:00.000Z',
  durationMs: 240_000,
  nevras: ['zlib-ng-2.2.4-1.azl4.x86_64'],
  artifacts: [
    {
      blobPath: 'zlib-ng/3f2a/build.log',
      fileName: 'build.log',
      sha256: 'b'.repeat(64),
      size: 12,
      kind: 'log',
    },
  ],
  repositories: ['base/x86_64'],
  contentDigest: 'sha256:dd',
  error: { code: 'build.failed', message: 'rpmbuild failed', retryable: false },
  logExcerpt: 'error: Bad exit status',
};

const failure: MessageFailure = {
  entity: 'builds',
  messageId: FINGERPRINT,
  code: 'build.bad-request',
  message: 'the message body is not a build request',
  retryable: false,
  context: { field: 'component', line: 3, known: true, nothing: null },
  deliveryCount: 5,
  at: AT,
};

export const catalogueRows: CatalogueRows = {
  ingestLedger: {
    messageId: event.messageId,
    topic: event.topic,
    kind: event.kind,
    packages: event.packages,
    sentAt: event.time,
    source: 'http',
    receivedAt: AT,
  },
  ingestDuplicates: {
    messageId: event.messageId,
    topic: event.topic,
    source: 'datagrepper',
    receivedAt: AT,
    reason: 'accepted before',
  },
  catchUpCheckpoints: { stream: 'datagrepper', through: 1_764_625_200, updatedAt: AT },
  pendingEvents: event,
  plannedEvents: { messageId: event.messageId, plannedAt: AT },
  leases: { name: 'planner', holder: 'a3c1', expiresAt: AT, process: 'boot-id/pid:[4026531836]/42' },
  componentState: {
    component: 'zlib-ng',
    lock: {
      nvr: 'zlib-ng-2.2.4-1.fc43',
      commit: 'a'.repeat(40),
      messageId: event.messageId,
      provides: ['libz-ng.so.2()(64bit)'],
    },
    lockedAt: AT,
    lastSuccessfulFingerprint: FINGERPRINT,
    lastContentDigest: 'sha256:dd',
    latestFingerprint: FINGERPRINT,
    latestRequestedAt: AT,
  },
  plans: {
    planId: build.planId,
    createdAt: AT,
    messageCount: 3,
    plannedCount: 2,
    skippedCount: 1,
    cycleCount: 0,
    waveCount: 2,
    modelVersion: 'tree:1',
    indexVersion: 'none',
  },
  planItems: {
    planId: build.planId,
    component: 'zlib-ng',
    wave: 1,
    priority: 300,
    fingerprint: FINGERPRINT,
    reasons: [
      {
        messageId: event.messageId,
        kind: 'tagged',
        package: 'zlib-ng',
        nvr: 'zlib-ng-2.2.4-1.fc43',
        commit: 'a'.repeat(40),
        changedProvides: ['+libz-ng.so.3()(64bit)'],
        path: [{ from: 'zlib-ng', buildRequire: 'pkgconfig(zlib-ng)' }],
        component: 'zlib-ng',
      },
    ],
    reasonCount: 1,
  },
  builds: build,
  publishQueue: {
    repository: 'base/x86_64',
    key: `base/x86_64:${FINGERPRINT}`,
    state: 'done',
    revision: 4,
    request: {
      repository: 'base/x86_64',
      component: 'zlib-ng',
      fingerprint: FINGERPRINT,
      buildId: build.buildId,
      packages: [
        {
          artifactBlob: 'zlib-ng/3f2a/zlib-ng-2.2.4-1.azl4.x86_64.rpm',
          fileName: 'zlib-ng-2.2.4-1.azl4.x86_64.rpm',
          sha256: 'e'.repeat(64),
          size: 1024,
          nevra: 'zlib-ng-2.2.4-1.azl4.x86_64',
        },
      ],
      requestedAt: AT,
    },
  },
  messageFailures: failure,
};

/**
 * The stored properties of each sample and their types, as the adapters wrote them before the catalogue:
 * data written then must still read, so a change here is a change of the stored format.
 */
export const storedProperties: { readonly [K in keyof Tables]: Readonly<Record<string, string>> } = {
  ingestLedger: {
    messageId: 'string',
    topic: 'string',
    kind: 'string',
    packages: 'string',
    sentAt: 'string',
    source: 'string',
    receivedAt: 'string',
  },
  ingestDuplicates: {
    messageId: 'string',
    topic: 'string',
    source: 'string',
    receivedAt: 'string',
    reason: 'string',
  },
  catchUpCheckpoints: { through: 'number', throughIso: 'string', updatedAt: 'string' },
  pendingEvents: { messageId: 'string', sentAt: 'string', eventChunks: 'number', event0: 'string' },
  plannedEvents: { messageId: 'string', plannedAt: 'string' },
  leases: { holder: 'string', expiresAt: 'string', process: 'string' },
  componentState: {
    component: 'string',
    lock: 'string',
    lockedAt: 'string',
    lastSuccessfulFingerprint: 'string',
    lastContentDigest: 'string',
    latestFingerprint: 'string',
    latestRequestedAt: 'string',
  },
  plans: {
    planId: 'string',
    createdAt: 'string',
    messageCount: 'number',
    plannedCount: 'number',
    skippedCount: 'number',
    cycleCount: 'number',
    waveCount: 'number',
    modelVersion: 'string',
    indexVersion: 'string',
  },
  planItems: {
    component: 'string',
    wave: 'number',
    priority: 'number',
    fingerprint: 'string',
    reasonsChunks: 'number',
    reasons0: 'string',
    reasonCount: 'number',
  },
  builds: {
    buildId: 'string',
    component: 'string',
    planId: 'string',
    state: 'string',
    requestedAt: 'string',
    updatedAt: 'string',
    recordChunks: 'number',
    record0: 'string',
  },
  publishQueue: {
    key: 'string',
    state: 'string',
    revision: 'number',
    requestChunks: 'number',
    request0: 'string',
  },
  messageFailures: {
    entity: 'string',
    messageId: 'string',
    code: 'string',
    message: 'string',
    retryable: 'boolean',
    context: 'string',
    deliveryCount: 'number',
    at: 'string',
  },
};
