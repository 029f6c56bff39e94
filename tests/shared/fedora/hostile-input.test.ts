import { describe, expect, it } from 'vitest';
import { normalize, normalizeMany } from '../../../shared/fedora';
import type { NormalizeOutcome } from '../../../shared/fedora';
import { fixtureMessage, readFixture, wire } from './fixtures';

// normalize must never throw: whatever arrives becomes an outcome, and garbage becomes `rejected`.

const outcomeOf = (input: unknown): NormalizeOutcome => {
  let outcome: NormalizeOutcome | undefined;
  expect(() => (outcome = normalize(input))).not.toThrow();
  return outcome!;
};

describe('hostile input', () => {
  it.each([
    ['null', null, 'expected a message object, got null'],
    ['undefined', undefined, 'expected a message object, got a undefined'],
    ['a number', 42, 'expected a message object, got a number'],
    ['a string', '{"id":"x"}', 'expected a message object, got a string'],
    ['an array', [], 'expected a message object, got an array'],
    ['a function', () => 1, 'expected a message object, got a function'],
    ['a symbol', Symbol('x'), 'expected a message object, got a symbol'],
    ['a bigint', 10n, 'expected a message object, got a bigint'],
  ])('%s is rejected at the root', (_name, input, reason) => {
    expect(outcomeOf(input)).toEqual({
      outcome: 'rejected',
      id: undefined,
      topic: undefined,
      path: '',
      reason,
    });
  });

  it('every field of the wrong type', () => {
    const outcome = outcomeOf({ id: 1, topic: {}, headers: 'h', body: 7 });
    expect(outcome).toMatchObject({ outcome: 'rejected', id: undefined, topic: undefined, path: 'id' });
    expect(outcome.outcome === 'rejected' && outcome.reason).toContain('(and 3 more problem(s))');
  });

  it('huge strings are bounded: id, topic, package name', () => {
    const huge = 'x'.repeat(5_000_000);
    const message = wire('buildsys.tag', readFixture('buildsys.tag', 1));
    expect(outcomeOf({ ...message, id: huge })).toMatchObject({
      outcome: 'rejected',
      id: undefined,
      path: 'id',
    });
    expect(outcomeOf({ ...message, topic: huge })).toMatchObject({ outcome: 'rejected', path: 'topic' });
    const named = { ...message, body: { ...readFixture('buildsys.tag', 1), name: huge } };
    const outcome = outcomeOf(named);
    expect(outcome).toMatchObject({ outcome: 'rejected', path: 'body.name' });
    expect(JSON.stringify(outcome).length).toBeLessThan(1_000);
  });

  it('deep nesting, in fields the schemas skip and in fields they read', () => {
    let deep: unknown = 'bottom';
    for (let i = 0; i < 200_000; i += 1) deep = { next: deep };
    const build = readFixture('buildsys.build.state.change', 2);
    expect(outcomeOf(wire('buildsys.build.state.change', { ...build, extra: deep }))).toMatchObject({
      outcome: 'accepted',
    });
    expect(
      outcomeOf(wire('buildsys.build.state.change', { ...build, request: [deep, deep, deep] })),
    ).toMatchObject({
      outcome: 'accepted',
      event: { kojiBuildId: 1478312 },
    });
    expect(outcomeOf(wire('buildsys.build.state.change', { ...build, name: deep }))).toMatchObject({
      outcome: 'rejected',
      path: 'body.name',
    });
    expect(outcomeOf({ ...wire('buildsys.tag', {}), headers: deep })).toMatchObject({
      outcome: 'rejected',
      path: 'headers.sent-at',
    });
  });

  it('cyclic objects', () => {
    const body: Record<string, unknown> = { ...readFixture('buildsys.tag', 1) };
    body.self = body;
    const message: Record<string, unknown> = wire('buildsys.tag', body);
    message.loop = message;
    expect(outcomeOf(message)).toMatchObject({ outcome: 'accepted', event: { kind: 'tagged' } });
  });

  it('prototype-pollution keys where normalize reads are rejected; deeper ones are inert', () => {
    const text = JSON.stringify(fixtureMessage('buildsys.tag', 1));
    const withKey = (where: '{' | '"body":{' | '"headers":{', key: string) =>
      JSON.parse(text.replace(where, `${where}"${key}":{"polluted":true,"name":"evil"},`)) as unknown;
    expect(outcomeOf(withKey('{', '__proto__'))).toEqual({
      outcome: 'rejected',
      id: 'fixture-buildsys.tag-1',
      topic: 'org.fedoraproject.prod.buildsys.tag',
      path: '__proto__',
      reason: '__proto__: prototype-pollution key not allowed',
    });
    expect(outcomeOf(withKey('"body":{', '__proto__'))).toMatchObject({ path: 'body.__proto__' });
    expect(outcomeOf(withKey('"body":{', 'constructor'))).toMatchObject({ path: 'body.constructor' });
    expect(outcomeOf(withKey('"headers":{', 'prototype'))).toMatchObject({ path: 'headers.prototype' });
    const v1 = JSON.parse(
      JSON.stringify(fixtureMessage('buildsys.build.state.change', 3)).replace(
        '"msg":{',
        '"msg":{"__proto__":{},',
      ),
    ) as unknown;
    expect(outcomeOf(v1)).toMatchObject({ outcome: 'rejected', path: 'msg.__proto__' });

    const deep = JSON.parse(
      text.replace(
        '"body":{',
        '"body":{"extra":{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}}},',
      ),
    ) as unknown;
    expect(outcomeOf(deep)).toMatchObject({ outcome: 'accepted', event: { packages: ['http-parser'] } });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty('polluted');
  });

  it('throwing getters and revoked proxies are rejected as unreadable', () => {
    const getter = Object.defineProperty(
      { id: 'x', topic: 'org.fedoraproject.prod.buildsys.tag', headers: {} },
      'body',
      {
        enumerable: true,
        get() {
          throw new Error('boom');
        },
      },
    );
    expect(outcomeOf(getter)).toMatchObject({ outcome: 'rejected', reason: 'unreadable message: boom' });
    const { proxy, revoke } = Proxy.revocable({}, {});
    revoke();
    expect(outcomeOf(proxy)).toMatchObject({ outcome: 'rejected', path: '' });
    expect(normalizeMany(proxy)).toHaveLength(1);
    const throwingError = {
      get message(): string {
        throw new Error('again');
      },
    };
    const nasty = new Proxy(
      {},
      {
        has() {
          throw throwingError;
        },
      },
    );
    expect(outcomeOf(nasty)).toMatchObject({ outcome: 'rejected' });
  });

  it('random JSON-shaped garbage, including mutations of real messages, never throws', () => {
    let seed = 12345;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const atoms = [null, true, 0, -1, 1.5, 1e308, '', 'x', 'rawhide', '#', [], {}];
    const value = (depth: number): unknown => {
      const r = random();
      if (depth > 3 || r < 0.5) return atoms[Math.floor(random() * atoms.length)];
      if (r < 0.75) return Array.from({ length: Math.floor(random() * 4) }, () => value(depth + 1));
      const keys = ['id', 'topic', 'headers', 'body', 'msg', 'msg_id', 'timestamp', 'sent-at', 'name', 'tag'];
      return Object.fromEntries(keys.filter(() => random() < 0.4).map((k) => [k, value(depth + 1)]));
    };
    const base = fixtureMessage('buildsys.build.state.change', 1) as { body: Record<string, unknown> };
    const bodyKeys = Object.keys(base.body);
    for (let i = 0; i < 3_000; i += 1) {
      const mutated = { ...base, body: { ...base.body, [bodyKeys[i % bodyKeys.length]!]: value(0) } };
      for (const input of [value(0), mutated]) {
        const outcome = outcomeOf(input);
        expect(['accepted', 'ignored', 'rejected']).toContain(outcome.outcome);
      }
    }
  });
});
