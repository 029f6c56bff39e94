import { describe, expect, it } from 'vitest';
import { normalize } from '../../../shared/fedora';
import type { NormalizeOutcome } from '../../../shared/fedora';
import { readFixture, wire } from './fixtures';

// Constructed variations of fixture bodies: what is ignored, what is rejected (and where), topic routing.

const build = readFixture('buildsys.build.state.change', 2);
const tag = readFixture('buildsys.tag', 1);
const gitCommit = readFixture('git.receive', 1) as { commit: Record<string, unknown> };
const update = readFixture('bodhi.update.request.testing', 1) as { update: Record<string, unknown> };

const ignoredReason = (outcome: NormalizeOutcome): string =>
  outcome.outcome === 'ignored' ? outcome.reason : `not ignored: ${outcome.outcome}`;

describe('valid but irrelevant messages are ignored with a reason', () => {
  it.each([
    [
      'a scratch build',
      { ...build, request: ['git+https://x/rpms/chromium.git#abc', 'rawhide', { scratch: true }] },
      'scratch build (request option scratch=true)',
    ],
    ['a deleted build', { ...build, new: 2 }, 'build deleted (state DELETED)'],
    ['another Koji hub', { ...build, instance: 's390' }, 'Koji instance "s390" is not the primary hub'],
    [
      'a volume change',
      { ...build, attribute: 'volume_id' },
      'build attribute "volume_id" changed, not its state',
    ],
  ])('build.state.change: %s', (_name, body, reason) => {
    expect(ignoredReason(normalize(wire('buildsys.build.state.change', body)))).toBe(reason);
  });

  it('a Bodhi container update', () => {
    const body = { ...update, update: { ...update.update, content_type: 'container' } };
    expect(ignoredReason(normalize(wire('bodhi.update.request.testing', body)))).toBe(
      'Bodhi container update, not rpm',
    );
  });

  it('git.receive outside rpms/, or with no namespace', () => {
    const modules = { commit: { ...gitCommit.commit, namespace: 'modules' } };
    expect(ignoredReason(normalize(wire('git.receive', modules)))).toBe(
      'dist-git namespace "modules" is not rpms',
    );
    const bare = { commit: { ...gitCommit.commit, namespace: undefined } };
    expect(ignoredReason(normalize(wire('git.receive', bare)))).toBe(
      'dist-git push outside a namespace (only rpms/ is handled)',
    );
  });

  it('unknown topics and foreign prefixes', () => {
    expect(ignoredReason(normalize(wire('fas.user.create', {})))).toBe(
      'no handler for topic fas.user.create',
    );
    expect(
      ignoredReason(normalize({ ...wire('buildsys.tag', tag), topic: 'org.centos.prod.buildsys.tag' })),
    ).toBe(
      'topic prefix is not a Fedora environment (org.fedoraproject.prod|stg, org.release-monitoring.prod|stg)',
    );
  });
});

describe('routing is by topic, with any Fedora environment prefix', () => {
  it('staging and production give the same event kind; the schema header is not consulted', () => {
    const stg = { ...wire('buildsys.tag', tag), topic: 'org.fedoraproject.stg.buildsys.tag' };
    const lying = {
      ...wire('buildsys.tag', tag),
      headers: { 'sent-at': '2025-06-01T12:00:00Z', fedora_messaging_schema: 'base.message' },
    };
    expect(normalize(stg)).toMatchObject({
      outcome: 'accepted',
      event: { kind: 'tagged', tag: 'f31-updates-pending' },
    });
    expect(normalize(lying)).toMatchObject({ outcome: 'accepted', event: { kind: 'tagged' } });
  });

  it('a body of one topic sent on another is judged by the topic (a tag body is no build state change)', () => {
    expect(normalize(wire('buildsys.build.state.change', tag))).toMatchObject({
      outcome: 'rejected',
      path: 'body.new',
    });
  });
});

describe('malformed bodies are rejected with the zod path', () => {
  const rejected = (outcome: NormalizeOutcome) => {
    if (outcome.outcome !== 'rejected') throw new Error(`expected rejected, got ${JSON.stringify(outcome)}`);
    return { path: outcome.path, reason: outcome.reason };
  };

  it('a string build_id: body.build_id in a wire message, msg.build_id in a v1 record', () => {
    const body = { ...build, build_id: 'x' };
    expect(rejected(normalize(wire('buildsys.build.state.change', body)))).toEqual({
      path: 'body.build_id',
      reason: 'body.build_id: Invalid input: expected number, received string',
    });
    const record = {
      msg_id: '2025-x',
      topic: 'org.fedoraproject.prod.buildsys.build.state.change',
      timestamp: 1,
      msg: body,
    };
    expect(rejected(normalize(record)).path).toBe('msg.build_id');
  });

  it.each([
    [
      'an unknown state',
      'body.new',
      'buildsys.build.state.change',
      { ...build, new: 9 },
      'unknown Koji build state',
    ],
    [
      'a dash in the version',
      'body.version',
      'buildsys.build.state.change',
      { ...build, version: '1-2' },
      'no "-"',
    ],
    [
      'a word for epoch',
      'body.epoch',
      'buildsys.build.state.change',
      { ...build, epoch: 'one' },
      'epoch must be a number',
    ],
    [
      'a tag without build_id',
      'body.build_id',
      'buildsys.tag',
      { ...tag, build_id: undefined },
      'expected number',
    ],
    [
      'a 300-character name',
      'body.name',
      'buildsys.tag',
      { ...tag, name: 'a'.repeat(300) },
      'longer than 255',
    ],
    [
      'a symbolic rev',
      'body.commit.rev',
      'git.receive',
      { commit: { ...gitCommit.commit, rev: 'HEAD' } },
      'full hexadecimal',
    ],
    [
      'an NVR without version',
      'body.update.builds[0].nvr',
      'bodhi.update.request.testing',
      { ...update, update: { ...update.update, builds: [{ nvr: 'no-dashes' }] } },
      'expected name-version-release',
    ],
    ['no update', 'body.update', 'bodhi.update.request.testing', { agent: 'x' }, 'expected object'],
    [
      'no collection',
      'body.collection',
      'koschei.package.state.change',
      { name: 'rust-tokio', new: 'ok' },
      'expected string',
    ],
  ])('%s ⇒ %s', (_label, path, suffix, body, reasonPart) => {
    const outcome = rejected(normalize(wire(suffix, body)));
    expect(outcome.path).toBe(path);
    expect(outcome.reason).toContain(reasonPart);
  });

  it('a numeric-string epoch (older Koji hubs) is accepted as a number', () => {
    expect(normalize(wire('buildsys.build.state.change', { ...build, epoch: '2' }))).toMatchObject({
      outcome: 'accepted',
      event: { builds: [{ epoch: 2 }] },
    });
  });
});
