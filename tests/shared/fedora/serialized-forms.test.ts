import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { normalize, normalizeMany } from '../../../shared/fedora';
import { FIXTURE_DIR, fixtureMessage, readFixture, WRAPPED_SENT_AT } from './fixtures';

/** The real datagrepper v2 envelope of build.state.change/1.json, and the same message in the other forms. */
function threeForms() {
  const v2 = readFixture('buildsys.build.state.change', 1);
  const { id, topic, headers, body } = v2 as { id: string; topic: string; headers: object; body: object };
  const wire = { id, topic, headers, body };
  // datanommer stores `sent-at` (2025-11-17T14:42:02+00:00) as the record timestamp.
  const v1 = { i: 1, msg_id: id, topic, timestamp: 1763390522.0, msg: body, headers, username: null };
  return { v2, wire, v1 };
}

describe('the three serialized forms', () => {
  it('wire message, datagrepper v2 item and v1 record of the same message give the same event', () => {
    const { v2, wire, v1 } = threeForms();
    const outcomes = [normalize(wire), normalize(v2), normalize(v1)];
    expect(outcomes.map((o) => o.outcome)).toEqual(['accepted', 'accepted', 'accepted']);
    expect(outcomes[1]).toEqual(outcomes[0]);
    expect(outcomes[2]).toEqual(outcomes[0]);
  });

  it('a v1 record without sent-at header takes its time from `timestamp`', () => {
    const tag = fixtureMessage('buildsys.tag', 1) as { id: string; topic: string; body: object };
    const wire = normalize(tag);
    // 2025-06-01T12:00:00Z, the sent-at the wrapped fixture carries.
    const v1 = normalize({
      msg_id: tag.id,
      topic: tag.topic,
      timestamp: 1748779200,
      msg: tag.body,
      headers: {},
    });
    expect(v1).toEqual(wire);
    expect(WRAPPED_SENT_AT).toBe('2025-06-01T12:00:00+00:00');
  });

  it('normalizeMany takes one message, an array, or a datagrepper page {raw_messages: [...]}', () => {
    const { v2, wire, v1 } = threeForms();
    expect(normalizeMany(wire)).toHaveLength(1);
    expect(normalizeMany([wire, v1, 42]).map((o) => o.outcome)).toEqual(['accepted', 'accepted', 'rejected']);
    const page = { raw_messages: [v2, fixtureMessage('buildsys.rpm.sign', 1)], count: 2, total: 2, pages: 1 };
    expect(normalizeMany(page).map((o) => o.outcome)).toEqual(['accepted', 'ignored']);
    expect(normalizeMany([])).toEqual([]);
  });

  it('the severity header maps 10/20/30/40 to debug/info/warning/error; absent or odd ⇒ the topic default', () => {
    const { wire } = threeForms();
    const severity = (value: unknown) => {
      const outcome = normalize({ ...wire, headers: { ...wire.headers, fedora_messaging_severity: value } });
      return outcome.outcome === 'accepted' ? outcome.event.severity : outcome.outcome;
    };
    expect([10, 20, 30, 40].map(severity)).toEqual(['debug', 'info', 'warning', 'error']);
    expect([undefined, 25, '40', null].map(severity)).toEqual(['info', 'info', 'info', 'info']);
  });

  it('sent-at with other offsets or without one (UTC) becomes ISO UTC', () => {
    const { wire } = threeForms();
    const time = (sentAt: string) => {
      const outcome = normalize({ ...wire, headers: { 'sent-at': sentAt } });
      return outcome.outcome === 'accepted' ? outcome.event.time : outcome;
    };
    expect(time('2025-11-17T16:42:02+02:00')).toBe('2025-11-17T14:42:02.000Z');
    expect(time('2025-11-17T14:42:02')).toBe('2025-11-17T14:42:02.000Z');
    expect(time('2025-11-17 14:42:02.250+0000')).toBe('2025-11-17T14:42:02.250Z');
  });
});

describe('malformed envelopes are rejected with the zod path', () => {
  const { wire, v1 } = threeForms();
  const rejection = (input: unknown) => {
    const outcome = normalize(input);
    if (outcome.outcome !== 'rejected') throw new Error(`expected rejected, got ${outcome.outcome}`);
    return outcome;
  };

  it.each([
    ['wire without id', { ...wire, id: undefined }, 'id'],
    ['wire with an empty topic', { ...wire, topic: '' }, 'topic'],
    ['wire without headers', { ...wire, headers: undefined }, 'headers'],
    ['wire without sent-at', { ...wire, headers: {} }, 'headers.sent-at'],
    ['wire with a non-date sent-at', { ...wire, headers: { 'sent-at': 'yesterday' } }, 'headers.sent-at'],
    ['wire with an array body', { ...wire, body: [] }, 'body'],
    ['v1 with an empty msg_id', { ...v1, msg_id: '' }, 'msg_id'],
    ['v1 with a numeric msg_id', { ...v1, msg_id: 42 }, 'msg_id'],
    ['v1 with a string timestamp', { ...v1, timestamp: '1763390522' }, 'timestamp'],
    ['v1 with a null msg', { ...v1, msg: null }, 'msg'],
  ])('%s ⇒ %s', (_name, input, path) => {
    expect(rejection(input).path).toBe(path);
    expect(rejection(input).reason.startsWith(`${path}: `)).toBe(true);
  });

  it('keeps the readable id and topic of a rejected message', () => {
    expect(rejection({ ...wire, headers: {} })).toMatchObject({
      id: 'eb9af16c-7324-4140-bc99-1822915f359b',
      topic: 'org.fedoraproject.prod.buildsys.build.state.change',
    });
  });

  it('the fedmsg-era git.receive/2.json record lacks msg_id ⇒ accepted under a derived id', () => {
    expect(normalize(readFixture('git.receive', 2))).toMatchObject({
      outcome: 'accepted',
      id: expect.stringMatching(/^derived-[0-9a-f]{64}$/) as unknown,
      topic: 'org.fedoraproject.prod.git.receive',
    });
  });

  it('a bare body is not a message', () => {
    expect(rejection(readFixture('buildsys.tag', 1))).toMatchObject({
      path: '',
      reason: expect.stringContaining('not a Fedora message') as unknown,
    });
  });
});

describe('every stored fixture', () => {
  it('is accepted or ignored, never rejected, once wrapped', () => {
    const seen: string[] = [];
    for (const dir of readdirSync(FIXTURE_DIR).sort()) {
      if (!statSync(join(FIXTURE_DIR, dir)).isDirectory()) continue;
      for (const file of readdirSync(join(FIXTURE_DIR, dir)).filter((f) => f.endsWith('.json'))) {
        const outcome = normalize(fixtureMessage(dir, Number(file.replace('.json', ''))));
        seen.push(`${dir}/${file}:${outcome.outcome}`);
        expect(outcome.outcome, `${dir}/${file}`).not.toBe('rejected');
      }
    }
    expect(seen).toHaveLength(26);
  });
});
