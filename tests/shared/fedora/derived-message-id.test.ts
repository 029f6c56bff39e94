import { describe, expect, it } from 'vitest';
import { normalize, normalizeMany } from '../../../shared/fedora';
import type { NormalizeOutcome } from '../../../shared/fedora';
import { derivedMessageId, isDerivedMessageId } from '../../../shared/fedora/derived-message-id';
import { IngestService } from '../../../shared/ingest/ingest-service';
import type { IngestLedger } from '../../../shared/ingest/ports';
import { recordingTelemetry } from '../../../testing/fakes/telemetry';
import { readFixture } from './fixtures';

/*
 * Expected ids computed outside this code base (Python 3: json.dumps(sort_keys=True, separators=(',', ':'),
 * ensure_ascii=False) of {topic, timestamp, msg}, integral timestamps written as integers, then hashlib.sha256),
 * so the documented formula, not just this implementation, is what is checked.
 */
const PUNGI_1 = 'derived-62ddeb4aa115fe106253cf1ab38f70f9ca2012bbb387f577e307cf2091868ed9';
const PUNGI_2 = 'derived-4250927785bdf452628c73c5bdabd34701d2a14c2533801f92741cdd53aaca5d';
const GIT_2 = 'derived-d58b13ffa449f78f4765ebd9a8745a9f224ab4f5a09b5bcb441b20228c82be7c';

const idOf = (outcome: NormalizeOutcome): string | undefined => outcome.id;

describe('fedmsg-era records without msg_id', () => {
  it('are accepted with the id derived from topic, timestamp and body (real records)', () => {
    const pungi = normalize(readFixture('pungi.compose.status.change', 1));
    expect(pungi).toMatchObject({ outcome: 'accepted', id: PUNGI_1 });
    if (pungi.outcome !== 'accepted') throw new Error('not accepted');
    expect(pungi.event.messageId).toBe(PUNGI_1);
    expect(pungi.event.time).toBe('2015-12-08T18:52:08.000Z');
    const push = normalize(readFixture('git.receive', 2));
    expect(push.outcome).toBe('accepted');
    expect(idOf(push)).toBe(GIT_2);
  });

  it('the same record twice gets the same id; the same topic and time with another body does not', () => {
    const first = readFixture('pungi.compose.status.change', 1);
    const again = JSON.parse(JSON.stringify(first)) as unknown;
    expect(idOf(normalize(again))).toBe(idOf(normalize(first)));
    // pungi 1 and 2 share topic and timestamp (STARTED, FINISHED of one compose).
    expect(idOf(normalize(readFixture('pungi.compose.status.change', 2)))).toBe(PUNGI_2);
  });

  it('key order, a float written as 1449600728.0 and fields outside topic/timestamp/msg do not change the id', () => {
    const record = readFixture('pungi.compose.status.change', 1) as {
      topic: string;
      timestamp: number;
      msg: Record<string, unknown>;
    };
    const reordered = {
      i: 7,
      username: 'someone',
      headers: {},
      msg: Object.fromEntries(Object.entries(record.msg).reverse()),
      timestamp: 1449600728,
      topic: record.topic,
    };
    expect(idOf(normalize(reordered))).toBe(PUNGI_1);
    expect(idOf(normalize({ ...reordered, msg_id: null }))).toBe(PUNGI_1);
  });

  it('each of topic, timestamp and body changes the id', () => {
    const record = readFixture('pungi.compose.status.change', 1) as {
      topic: string;
      timestamp: number;
      msg: Record<string, unknown>;
    };
    const ids = [
      derivedMessageId(record),
      derivedMessageId({ ...record, topic: 'org.fedoraproject.stg.pungi.compose.status.change' }),
      derivedMessageId({ ...record, timestamp: record.timestamp + 0.5 }),
      derivedMessageId({ ...record, msg: { ...record.msg, status: 'DOOMED' } }),
    ];
    expect(new Set(ids).size).toBe(4);
    expect(ids.every(isDerivedMessageId)).toBe(true);
  });

  it('a record with its own msg_id keeps it; an empty msg_id is still refused', () => {
    const own = normalize(readFixture('buildsys.build.state.change', 3));
    expect(idOf(own)).toBe('2015-6395fb7a-e5a7-4b95-858a-ff7b80410e7f');
    expect(isDerivedMessageId('2015-6395fb7a-e5a7-4b95-858a-ff7b80410e7f')).toBe(false);
    expect(normalize({ ...readFixture('pungi.compose.status.change', 1), msg_id: '' })).toMatchObject({
      outcome: 'rejected',
      path: 'msg_id',
    });
  });

  it('a derived id is no Fedora id: a wire message whose id merely starts with derived- is not marked', () => {
    expect(isDerivedMessageId('derived-not-a-digest')).toBe(false);
    expect(isDerivedMessageId(PUNGI_1)).toBe(true);
  });

  it('replaying an archive twice: the second delivery of every id-less record is a duplicate', async () => {
    const archive = normalizeMany([
      readFixture('pungi.compose.status.change', 1),
      readFixture('pungi.compose.status.change', 2),
    ]);
    expect(archive.map((o) => o.outcome)).toEqual(['accepted', 'accepted']);
    const recorded = new Set<string>();
    const ledger: IngestLedger = {
      known: async (ids) => new Set(ids.filter((id) => recorded.has(id))),
      record: async (events) => {
        for (const event of events) recorded.add(event.messageId);
        return new Set();
      },
      recordDuplicates: async () => {},
    };
    const service = new IngestService({
      normalize,
      queue: { enqueue: async () => {} },
      ledger,
      quarantine: { keep: async () => 'unused' },
      telemetry: recordingTelemetry().telemetry,
    });
    const records = [
      readFixture('pungi.compose.status.change', 1),
      readFixture('pungi.compose.status.change', 2),
    ];
    const first = await service.submit(records, 'http');
    const second = await service.submit(
      records.map((r) => JSON.parse(JSON.stringify(r)) as unknown),
      'http',
    );
    expect(first.map((r) => [r.id, r.outcome])).toEqual([
      [PUNGI_1, 'accepted'],
      [PUNGI_2, 'accepted'],
    ]);
    expect(second.map((r) => [r.id, r.outcome])).toEqual([
      [PUNGI_1, 'duplicate'],
      [PUNGI_2, 'duplicate'],
    ]);
  });
});
