import { describe, expect, it } from 'vitest';
import { normalize } from '../../../shared/fedora';
import type { NormalizeOutcome } from '../../../shared/fedora';
import { fixtureId, fixtureMessage, WRAPPED_TIME } from './fixtures';

// Expected values are read by hand from tests/fixtures/fedora-messages/bodhi.*/<n>.json.

const event = (outcome: NormalizeOutcome) => {
  if (outcome.outcome !== 'accepted') throw new Error(`expected accepted, got ${JSON.stringify(outcome)}`);
  return outcome.event;
};

describe('bodhi.update.complete.* fixtures', () => {
  it('complete.stable 1.json: two builds of an F29 update', () => {
    expect(event(normalize(fixtureMessage('bodhi.update.complete.stable', 1)))).toEqual({
      messageId: fixtureId('bodhi.update.complete.stable', 1),
      topic: 'org.fedoraproject.prod.bodhi.update.complete.stable',
      kind: 'update-stable',
      packages: ['golang-github-SAP-go-hdb', 'texworks'],
      builds: [
        {
          name: 'golang-github-SAP-go-hdb',
          version: '0.14.1',
          release: '1.fc29',
          nvr: 'golang-github-SAP-go-hdb-0.14.1-1.fc29',
        },
        { name: 'texworks', version: '0.6.3', release: '1.fc29', nvr: 'texworks-0.6.3-1.fc29' },
      ],
      release: 'f29',
      reference: 'FEDORA-2019-d64d0caab3',
      status: 'stable',
      time: WRAPPED_TIME,
      severity: 'info',
    });
  });

  it('complete.testing 1.json (real v1 record, full update JSON): testing tag, branch and epoch', () => {
    expect(event(normalize(fixtureMessage('bodhi.update.complete.testing', 1)))).toEqual({
      messageId: '2019-92fe5e1a-2c84-4251-ba4b-e06ccea43204',
      topic: 'org.fedoraproject.prod.bodhi.update.complete.testing',
      kind: 'update-testing',
      packages: ['nfs-ganesha'],
      builds: [
        {
          name: 'nfs-ganesha',
          epoch: 0,
          version: '2.7.4',
          release: '1.fc29',
          nvr: 'nfs-ganesha-2.7.4-1.fc29',
        },
      ],
      tag: 'f29-updates-testing',
      release: 'f29',
      branch: 'f29',
      reference: 'FEDORA-2019-02cd019281',
      status: 'testing',
      time: '2019-06-06T03:31:52.000Z',
      severity: 'info',
    });
  });
});

describe('bodhi.update.request.* fixtures', () => {
  it('request.stable 1.json', () => {
    expect(event(normalize(fixtureMessage('bodhi.update.request.stable', 1)))).toEqual({
      messageId: fixtureId('bodhi.update.request.stable', 1),
      topic: 'org.fedoraproject.prod.bodhi.update.request.stable',
      kind: 'update-requested',
      packages: ['golang-github-SAP-go-hdb'],
      builds: [
        {
          name: 'golang-github-SAP-go-hdb',
          version: '0.14.1',
          release: '1.fc29',
          nvr: 'golang-github-SAP-go-hdb-0.14.1-1.fc29',
        },
      ],
      release: 'f29',
      reference: 'FEDORA-2019-d64d0caab3',
      status: 'stable',
      time: WRAPPED_TIME,
      severity: 'info',
    });
  });

  it('request.testing 1.json: a snapshot release with dots in it', () => {
    expect(event(normalize(fixtureMessage('bodhi.update.request.testing', 1)))).toMatchObject({
      kind: 'update-requested',
      packages: ['golang-github-Masterminds-semver'],
      builds: [
        {
          name: 'golang-github-Masterminds-semver',
          version: '2.0.0',
          release: '0.1.20190319git3c92f33.fc29',
          nvr: 'golang-github-Masterminds-semver-2.0.0-0.1.20190319git3c92f33.fc29',
        },
      ],
      release: 'f29',
      reference: 'FEDORA-2019-f1ca3c00e5',
      status: 'testing',
    });
  });
});

describe('bodhi.update.status.testing.koji-build-group.build.complete fixtures', () => {
  const topicDir = 'bodhi.update.status.testing.koji-build-group.build.complete';
  // The schema samples write NVRs with an architecture suffix (`libselinux-2.8-6.fc29.x86_64`), as in an RPM
  // file name; the event carries the NVR without it.
  const builds = [
    {
      name: 'libselinux',
      version: '2.8',
      release: '6.fc29',
      nvr: 'libselinux-2.8-6.fc29',
      kojiBuildId: 14546275,
    },
    {
      name: 'libsepol',
      version: '2.8',
      release: '3.fc29',
      nvr: 'libsepol-2.8-3.fc29',
      kojiBuildId: 14546278,
    },
  ];

  it('1.json (schema v3): builds with Koji ids, release from the update; two builds ⇒ no top-level ids', () => {
    expect(event(normalize(fixtureMessage(topicDir, 1)))).toEqual({
      messageId: fixtureId(topicDir, 1),
      topic: `org.fedoraproject.prod.${topicDir}`,
      kind: 'update-testing',
      packages: ['libselinux', 'libsepol'],
      builds,
      release: 'f29',
      reference: 'FEDORA-2019-d64d0caab3',
      status: 'testing',
      time: WRAPPED_TIME,
      severity: 'debug',
    });
  });

  it('2.json (schema v1, no update): packages from `component`, release and alias from the artifact', () => {
    expect(event(normalize(fixtureMessage(topicDir, 2)))).toEqual({
      messageId: fixtureId(topicDir, 2),
      topic: `org.fedoraproject.prod.${topicDir}`,
      kind: 'update-testing',
      packages: ['libselinux', 'libsepol'],
      builds,
      release: 'f29',
      reference: 'FEDORA-2019-d64d0caab3',
      time: WRAPPED_TIME,
      severity: 'debug',
    });
  });
});
