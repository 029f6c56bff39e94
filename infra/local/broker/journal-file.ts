import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { dirname } from 'node:path';
import { message as amqpCodec } from 'rhea';
import type { Message as AmqpMessage } from 'rhea';
import type { BrokerMessage, MessageState } from './broker-message';
import type { EntityJournal } from './entity-journal';

/**
 * The broker's durable state as an append-only file of JSON lines: `put` (a message's current state),
 * `del`, `state` (session state) and `seen` (a message id inside a duplicate detection window). Replaying it
 * gives every message that was not settled, so a restart (or a crash: each change is written before the
 * broker answers) loses nothing. Locks are not journaled: after a restart every message is available again,
 * as after a lock expiry. On open the file is compacted to the live records.
 */
type Record =
  | { t: 'put'; p: string; m: PersistedMessage }
  | { t: 'del'; p: string; s: number }
  | { t: 'state'; p: string; sid: string; v: string | null }
  | { t: 'seen'; p: string; id: string; at: number };

interface PersistedMessage {
  s: number;
  id: string;
  sid?: string;
  amqp: string;
  enq: number;
  sch?: number;
  exp: number;
  att: number;
  st: MessageState;
}

export interface JournalContents {
  readonly messages: Map<string, Map<number, BrokerMessage>>;
  readonly sessionStates: Map<string, Map<string, Buffer>>;
  readonly seen: Map<string, Map<string, number>>;
  readonly highestSequence: Map<string, number>;
}

export class JournalFile implements EntityJournal {
  private constructor(private fd: number | undefined) {}

  /** Reads and compacts the journal at `path` (created when missing); returns the journal and what it held. */
  static open(path: string): { journal: JournalFile; contents: JournalContents } {
    mkdirSync(dirname(path), { recursive: true });
    const contents = existsSync(path) ? replay(readFileSync(path, 'utf8')) : emptyContents();
    const temporary = `${path}.compacting`;
    writeFileSync(temporary, compacted(contents));
    renameSync(temporary, path);
    return { journal: new JournalFile(openSync(path, 'a')), contents };
  }

  put(path: string, message: BrokerMessage): void {
    this.append({ t: 'put', p: path, m: persist(message) });
  }

  remove(path: string, sequenceNumber: number): void {
    this.append({ t: 'del', p: path, s: sequenceNumber });
  }

  sessionState(path: string, sessionId: string, state: Buffer | undefined): void {
    this.append({ t: 'state', p: path, sid: sessionId, v: state ? state.toString('base64') : null });
  }

  seen(path: string, messageId: string, at: number): void {
    this.append({ t: 'seen', p: path, id: messageId, at });
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }

  private append(record: Record): void {
    if (this.fd === undefined) return;
    writeSync(this.fd, `${JSON.stringify(record)}\n`);
  }
}

function emptyContents(): JournalContents {
  return { messages: new Map(), sessionStates: new Map(), seen: new Map(), highestSequence: new Map() };
}

function replay(text: string): JournalContents {
  const contents = emptyContents();
  const table = <V>(map: Map<string, Map<string | number, V>>, path: string) =>
    map.get(path) ?? map.set(path, new Map()).get(path)!;
  const bump = (path: string, sequence: number) =>
    contents.highestSequence.set(path, Math.max(contents.highestSequence.get(path) ?? 0, sequence));
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    let record: Record;
    try {
      record = JSON.parse(line) as Record;
    } catch {
      continue; // a line cut short by a crash while it was written: everything before it is intact
    }
    if (record.t === 'put') {
      (table(contents.messages as never, record.p) as Map<number, BrokerMessage>).set(
        record.m.s,
        revive(record.m),
      );
      bump(record.p, record.m.s);
    } else if (record.t === 'del') {
      contents.messages.get(record.p)?.delete(record.s);
      bump(record.p, record.s);
    } else if (record.t === 'state') {
      const states = table(contents.sessionStates as never, record.p) as Map<string, Buffer>;
      if (record.v === null) states.delete(record.sid);
      else states.set(record.sid, Buffer.from(record.v, 'base64'));
    } else if (record.t === 'seen') {
      (table(contents.seen as never, record.p) as Map<string, number>).set(record.id, record.at);
    }
  }
  return contents;
}

function compacted(contents: JournalContents): string {
  const lines: string[] = [];
  for (const [path, messages] of contents.messages) {
    for (const message of messages.values())
      lines.push(JSON.stringify({ t: 'put', p: path, m: persist(message) }));
  }
  // Keep the sequence high-water mark even when every message was settled, so numbers never repeat.
  for (const [path, highest] of contents.highestSequence)
    lines.push(JSON.stringify({ t: 'del', p: path, s: highest }));
  for (const [path, states] of contents.sessionStates) {
    for (const [sid, state] of states)
      lines.push(JSON.stringify({ t: 'state', p: path, sid, v: state.toString('base64') }));
  }
  for (const [path, seen] of contents.seen) {
    for (const [id, at] of seen) lines.push(JSON.stringify({ t: 'seen', p: path, id, at }));
  }
  return lines.length ? `${lines.join('\n')}\n` : '';
}

function persist(message: BrokerMessage): PersistedMessage {
  return {
    s: message.sequenceNumber,
    id: message.messageId,
    ...(message.sessionId !== undefined ? { sid: message.sessionId } : {}),
    amqp: amqpCodec.encode(message.amqp).toString('base64'),
    enq: message.enqueuedAt,
    ...(message.scheduledAt !== undefined ? { sch: message.scheduledAt } : {}),
    exp: message.expiresAt,
    // Older journals kept failed deliveries in `att`: read as deliveries, they differ only by one in flight.
    att: message.deliveries,
    st: message.state,
  };
}

function revive(m: PersistedMessage): BrokerMessage {
  return {
    sequenceNumber: m.s,
    messageId: m.id,
    sessionId: m.sid,
    amqp: amqpCodec.decode(Buffer.from(m.amqp, 'base64')) as unknown as AmqpMessage,
    enqueuedAt: m.enq,
    scheduledAt: m.sch,
    expiresAt: m.exp,
    deliveries: m.att,
    state: m.st,
  };
}
