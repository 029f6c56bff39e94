import { describe, expect, it } from 'vitest';
import { normalize } from '../../../shared/fedora';
import type { NormalizeOutcome } from '../../../shared/fedora';
import { upstreamEventSchema } from '../../../shared/fedora/upstream-event';
import { fixtureId, fixtureMessage, WRAPPED_TIME } from './fixtures';

// Expected values are read by hand from tests/fixtures/fedora-messages/<topic>/<n>.json.

const event = (outcome: NormalizeOutcome) => {
  if (outcome.outcome !== 'accepted') throw new Error(`expected accepted, got ${JSON.stringify(outcome)}`);
  expect(upstreamEventSchema.parse(outcome.event)).toEqual(outcome.event);
  return outcome.event;
};

describe('buildsys.build.state.change fixtures', () => {
  it('1.json (real, datagrepper v2 envelope): a canceled rawhide build with its commit', () => {
    expect(event(normalize(fixtureMessage('buildsys.build.state.change', 1)))).toEqual({
      messageId: 'eb9af16c-7324-4140-bc99-1822915f359b',
      topic: 'org.fedoraproject.prod.buildsys.build.state.change',
      kind: 'build-canceled',
      packages: ['prusa-slicer'],
      builds: [
        {
          name: 'prusa-slicer',
          epoch: null,
          version: '2.9.4',
          release: '1.fc44',
          nvr: 'prusa-slicer-2.9.4-1.fc44',
          kojiBuildId: 2860061,
        },
      ],
      kojiBuildId: 2860061,
      kojiTaskId: 139004033,
      tag: 'rawhide',
      release: 'rawhide',
      commit: 'ddbac739fc9482082b06028e5606f74c06e1db07',
      status: 'CANCELED',
      time: '2025-11-17T14:42:02.000Z',
      severity: 'info',
    });
  });

  it('2.json (body only): a completed build without task, commit from request[0]', () => {
    expect(event(normalize(fixtureMessage('buildsys.build.state.change', 2)))).toEqual({
      messageId: fixtureId('buildsys.build.state.change', 2),
      topic: 'org.fedoraproject.prod.buildsys.build.state.change',
      kind: 'build-complete',
      packages: ['chromium'],
      builds: [
        {
          name: 'chromium',
          epoch: null,
          version: '80.0.3987.132',
          release: '1.fc33',
          nvr: 'chromium-80.0.3987.132-1.fc33',
          kojiBuildId: 1478312,
        },
      ],
      kojiBuildId: 1478312,
      tag: 'rawhide',
      release: 'rawhide',
      commit: '5f8f367e482fe8e30711aea49bf2ecfd163d278f',
      status: 'COMPLETE',
      time: WRAPPED_TIME,
      severity: 'info',
    });
  });

  it('3.json (real fedmsg-era v1 record): no request, so no tag, release or commit; no epoch key', () => {
    expect(event(normalize(fixtureMessage('buildsys.build.state.change', 3)))).toEqual({
      messageId: '2015-6395fb7a-e5a7-4b95-858a-ff7b80410e7f',
      topic: 'org.fedoraproject.prod.buildsys.build.state.change',
      kind: 'build-complete',
      packages: ['ansible'],
      builds: [
        {
          name: 'ansible',
          version: '1.8.3',
          release: '1.el7',
          nvr: 'ansible-1.8.3-1.el7',
          kojiBuildId: 612324,
        },
      ],
      kojiBuildId: 612324,
      kojiTaskId: 8973154,
      status: 'COMPLETE',
      time: '2015-02-17T23:42:46.000Z',
      severity: 'info',
    });
  });
});

describe('buildsys.tag / untag / repo.done fixtures', () => {
  it('tag 1.json: http-parser tagged into f31-updates-pending ⇒ release f31, no epoch (tag messages have none)', () => {
    expect(event(normalize(fixtureMessage('buildsys.tag', 1)))).toEqual({
      messageId: fixtureId('buildsys.tag', 1),
      topic: 'org.fedoraproject.prod.buildsys.tag',
      kind: 'tagged',
      packages: ['http-parser'],
      builds: [
        {
          name: 'http-parser',
          version: '2.9.3',
          release: '1.fc31',
          nvr: 'http-parser-2.9.3-1.fc31',
          kojiBuildId: 1457909,
        },
      ],
      kojiBuildId: 1457909,
      tag: 'f31-updates-pending',
      release: 'f31',
      time: WRAPPED_TIME,
      severity: 'debug',
    });
  });

  it('untag 1.json: python-twisted out of epel8-signing-pending ⇒ release epel8', () => {
    const e = event(normalize(fixtureMessage('buildsys.untag', 1)));
    expect(e).toMatchObject({
      kind: 'untagged',
      packages: ['python-twisted'],
      builds: [{ nvr: 'python-twisted-19.10.0-2.el8', kojiBuildId: 1478431 }],
      kojiBuildId: 1478431,
      tag: 'epel8-signing-pending',
      release: 'epel8',
      severity: 'debug',
    });
    expect(e.commit).toBeUndefined();
  });

  it('repo.done 1.json: a module build tag has no Fedora release; the repo id is the reference', () => {
    expect(event(normalize(fixtureMessage('buildsys.repo.done', 1)))).toEqual({
      messageId: fixtureId('buildsys.repo.done', 1),
      topic: 'org.fedoraproject.prod.buildsys.repo.done',
      kind: 'repo-regenerated',
      packages: [],
      builds: [],
      tag: 'module-jmc-latest-3220200311144307-089fddd9-build',
      reference: '1409150',
      time: WRAPPED_TIME,
      severity: 'info',
    });
  });
});

describe('Koji topics that are ignored', () => {
  it('buildsys.rpm.sign 1.json (real, with x-received-from)', () => {
    expect(normalize(fixtureMessage('buildsys.rpm.sign', 1))).toEqual({
      outcome: 'ignored',
      id: 'b1cb6938-bab8-4597-b278-dd45f5491ce8',
      topic: 'org.fedoraproject.prod.buildsys.rpm.sign',
      reason:
        'buildsys.rpm.sign is sent per RPM and signing key; builds are followed by build.state.change and tag',
    });
  });

  it.each([1, 2])('buildsys.task.state.change %i.json (scratch-build tasks)', (n) => {
    expect(normalize(fixtureMessage('buildsys.task.state.change', n))).toEqual({
      outcome: 'ignored',
      id: fixtureId('buildsys.task.state.change', n),
      topic: 'org.fedoraproject.prod.buildsys.task.state.change',
      reason: 'buildsys.task.state.change is only published for scratch-build tasks',
    });
  });
});
