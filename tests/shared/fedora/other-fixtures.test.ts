import { describe, expect, it } from 'vitest';
import { normalize } from '../../../shared/fedora';
import type { NormalizeOutcome } from '../../../shared/fedora';
import { fixtureId, fixtureMessage, readFixture, WRAPPED_TIME } from './fixtures';

// Dist-git, Anitya, Koschei, Pungi and the topics without a handler. Expected values are read by hand from
// tests/fixtures/fedora-messages/<topic>/<n>.json.

const event = (outcome: NormalizeOutcome) => {
  if (outcome.outcome !== 'accepted') throw new Error(`expected accepted, got ${JSON.stringify(outcome)}`);
  return outcome.event;
};

describe('dist-git pushes', () => {
  it('git.receive 1.json: namespace "dummyns" is not rpms ⇒ ignored', () => {
    expect(normalize(fixtureMessage('git.receive', 1))).toEqual({
      outcome: 'ignored',
      id: fixtureId('git.receive', 1),
      topic: 'org.fedoraproject.prod.git.receive',
      reason: 'dist-git namespace "dummyns" is not rpms',
    });
  });

  it('git.receive 2.json (fedmsg-era record): valgrind on master, the pre-2020 name of rawhide', () => {
    expect(event(normalize(fixtureMessage('git.receive', 2)))).toEqual({
      messageId: fixtureId('git.receive', 2),
      topic: 'org.fedoraproject.prod.git.receive',
      kind: 'dist-git-push',
      packages: ['valgrind'],
      builds: [],
      branch: 'master',
      release: 'rawhide',
      commit: '7a98f80d9b61ce167e4ef8129c81ed9284ecf4e1',
      time: '2012-08-07T14:47:30.886Z',
      severity: 'info',
    });
  });

  it('pagure.git.receive 1.json comes from pagure.io (io.pagure.prod) ⇒ ignored', () => {
    expect(normalize(fixtureMessage('pagure.git.receive', 1))).toEqual({
      outcome: 'ignored',
      id: '2016-c854f690-5691-42e8-b488-2d65aef80fdc',
      topic: 'io.pagure.prod.pagure.git.receive',
      reason: 'topic from the pagure.io forge (io.pagure.*), not Fedora dist-git',
    });
  });

  it('the same push body from dist-git (org.fedoraproject.prod, repo in rpms/): end_commit is the head', () => {
    const record = readFixture('pagure.git.receive', 1);
    const msg = record.msg as { repo: Record<string, unknown> };
    const distGit = {
      ...record,
      topic: 'org.fedoraproject.prod.pagure.git.receive',
      msg: { ...msg, repo: { ...msg.repo, namespace: 'rpms' } },
    };
    expect(event(normalize(distGit))).toEqual({
      messageId: '2016-c854f690-5691-42e8-b488-2d65aef80fdc',
      topic: 'org.fedoraproject.prod.pagure.git.receive',
      kind: 'dist-git-push',
      packages: ['pagure'],
      builds: [],
      branch: 'master',
      release: 'rawhide',
      commit: 'edc02fbb423d3957d174c571896418f29fa169b8',
      time: '2016-03-09T15:52:58.000Z',
      severity: 'info',
    });
    // Without a namespace (a pagure.io project) it is ignored even on the Fedora prefix.
    expect(normalize({ ...distGit, msg })).toMatchObject({
      outcome: 'ignored',
      reason: 'dist-git push outside a namespace (only rpms/ is handled)',
    });
  });
});

describe('anitya', () => {
  it('version.update 1.json (v1, real): flatpak 1.0.4 for the Fedora package flatpak', () => {
    expect(event(normalize(fixtureMessage('anitya.project.version.update', 1)))).toEqual({
      messageId: fixtureId('anitya.project.version.update', 1),
      topic: 'org.release-monitoring.prod.anitya.project.version.update',
      kind: 'upstream-release',
      packages: ['flatpak'],
      builds: [],
      reference: 'flatpak',
      upstreamVersions: ['1.0.4'],
      time: WRAPPED_TIME,
      severity: 'info',
    });
  });

  it('version.update.v2 2.json: upstream_versions[]', () => {
    expect(event(normalize(fixtureMessage('anitya.project.version.update.v2', 2)))).toMatchObject({
      topic: 'org.release-monitoring.prod.anitya.project.version.update.v2',
      kind: 'upstream-release',
      packages: ['flatpak'],
      upstreamVersions: ['1.0.4'],
      reference: 'flatpak',
    });
  });

  it('version.update.v2 1.json: pg-semver has no Fedora package ⇒ ignored', () => {
    expect(normalize(fixtureMessage('anitya.project.version.update.v2', 1))).toMatchObject({
      outcome: 'ignored',
      reason: 'Anitya project "pg-semver" maps to no Fedora package',
    });
  });
});

describe('koschei and pungi', () => {
  it('koschei.package.state.change 1.json: rust-tokio back to ok in f37', () => {
    expect(event(normalize(fixtureMessage('koschei.package.state.change', 1)))).toEqual({
      messageId: fixtureId('koschei.package.state.change', 1),
      topic: 'org.fedoraproject.prod.koschei.package.state.change',
      kind: 'ftbfs-state-change',
      packages: ['rust-tokio'],
      builds: [],
      release: 'f37',
      status: 'ok',
      time: WRAPPED_TIME,
      severity: 'info',
    });
  });

  it.each([
    [1, 'STARTED'],
    [2, 'FINISHED'],
  ])('pungi.compose.status.change %i.json: a rawhide compose (from its location), status %s', (n, status) => {
    expect(event(normalize(fixtureMessage('pungi.compose.status.change', n)))).toEqual({
      messageId: fixtureId('pungi.compose.status.change', n),
      topic: 'org.fedoraproject.prod.pungi.compose.status.change',
      kind: 'compose',
      packages: [],
      builds: [],
      release: 'rawhide',
      reference: 'Fedora-24-20151208.n.7',
      status,
      time: '2015-12-08T18:52:08.000Z',
      severity: 'info',
    });
  });
});

describe('topics without a handler', () => {
  it('koschei.collection.state.change 1.json', () => {
    expect(normalize(fixtureMessage('koschei.collection.state.change', 1))).toEqual({
      outcome: 'ignored',
      id: fixtureId('koschei.collection.state.change', 1),
      topic: 'org.fedoraproject.prod.koschei.collection.state.change',
      reason: 'no handler for topic koschei.collection.state.change',
    });
  });

  it('mdapi.repo.update 1.json (staging prefix, real v1 record)', () => {
    expect(normalize(fixtureMessage('mdapi.repo.update', 1))).toEqual({
      outcome: 'ignored',
      id: '2015-dbf52782-0a87-448f-a6fb-20c506cdd4eb',
      topic: 'org.fedoraproject.stg.mdapi.repo.update',
      reason: 'no handler for topic mdapi.repo.update',
    });
  });
});
