import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AtomEntry, EntityTimes } from './atom-descriptions';
import {
  entryDocument,
  errorDocument,
  feedDocument,
  queueEntry,
  subscriptionEntry,
  topicEntry,
} from './atom-descriptions';
import type { EntityConfig, NamespaceConfig, TopicConfig } from './entity-config';
import type { EntityAccess, EntityCounts } from './entity-runtime';
import { countsOf } from './entity-runtime';
import type { Namespace } from './namespace';
import type { SharedAccessKeys } from './sas-token';
import { verifySasToken } from './sas-token';

export interface ManagementApiOptions {
  readonly namespace: Namespace;
  readonly config: NamespaceConfig;
  readonly keys: SharedAccessKeys;
  readonly access: EntityAccess;
  /** When the entities came to be (the broker's start): their CreatedAt and UpdatedAt. */
  readonly createdAt: number;
  readonly clock: () => number;
}

const ENTRY_TYPE = 'application/atom+xml;type=entry;charset=utf-8';
const FEED_TYPE = 'application/atom+xml;type=feed;charset=utf-8';

/**
 * The reading half of Service Bus's management API (ATOM over HTTPS), the part `ServiceBusAdministrationClient`
 * calls for runtime properties and lists: `GET /<queue|topic>`, `GET /<topic>/Subscriptions/<name>`,
 * `GET /$Resources/queues`, `GET /$Resources/topics`, `GET /<topic>/Subscriptions` (with `$skip`/`$top`).
 * Every request carries `Authorization: SharedAccessSignature ...` for its URL, checked as Azure does.
 * Entities are defined once in code (`shared/messaging/entities.ts`), so writes are refused: 401, the answer
 * Azure gives a key without the Manage right.
 */
export function managementApi(options: ManagementApiOptions) {
  return (request: IncomingMessage, response: ServerResponse): void => {
    const host = request.headers.host ?? 'localhost';
    const url = new URL(request.url ?? '/', `https://${host}`);
    const send = (status: number, type: string, body: string): void => {
      response.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(body) });
      response.end(body);
    };
    const fail = (status: number, detail: string): void =>
      send(status, 'application/xml; charset=utf-8', errorDocument(status, detail));

    request.resume(); // a body (PUT) is not read
    const token = request.headers.authorization;
    if (!token) return fail(401, 'MissingToken: The request contains no authorization header.');
    const verdict = verifySasToken(token, options.keys, url.toString(), options.clock());
    if (!verdict.ok) return fail(401, verdict.description);
    if (request.method !== 'GET') {
      return fail(
        401,
        `Manage,EntityWrite claim(s) are required for this operation. Resource: '${url.pathname}'.`,
      );
    }
    const answer = read(options, url);
    if (answer.kind === 'entry') send(200, ENTRY_TYPE, entryDocument(answer.entry, options.clock()));
    else send(200, FEED_TYPE, feedDocument(url.toString(), answer.title, answer.entries, options.clock()));
  };
}

type Answer =
  { kind: 'entry'; entry: AtomEntry } | { kind: 'feed'; title: string; entries: readonly AtomEntry[] };

function read(options: ManagementApiOptions, url: URL): Answer {
  const { config } = options;
  const apiVersion = url.searchParams.get('api-version') ?? '2021-05';
  const entityUrl = (path: string): string => `${url.origin}/${path}?api-version=${apiVersion}`;
  const segments = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
  const lower = segments.map((s) => s.toLowerCase());
  const page = (entries: AtomEntry[], title: string): Answer => {
    const skip = Number(url.searchParams.get('$skip') ?? 0) || 0;
    const top = Number(url.searchParams.get('$top') ?? 100) || 100;
    return { kind: 'feed', title, entries: entries.slice(skip, skip + top) };
  };
  const queue = (q: EntityConfig): AtomEntry =>
    queueEntry(entityUrl(q.path), q.path, q, countsOf(options.namespace, q.path), timesOf(options, q.path));
  const topic = (t: TopicConfig): AtomEntry =>
    topicEntry(entityUrl(t.path), t.path, t, topicCounts(options, t), timesOf(options, t.path));
  const subscription = (t: TopicConfig, s: EntityConfig): AtomEntry => {
    const name = s.path.slice(s.path.lastIndexOf('/') + 1);
    return subscriptionEntry(
      entityUrl(`${t.path}/Subscriptions/${name}`),
      name,
      s,
      countsOf(options.namespace, s.path),
      timesOf(options, s.path),
    );
  };
  const nothing: Answer = { kind: 'feed', title: 'Publicly Listed Services', entries: [] };

  if (lower[0] === '$resources' && lower.length === 2) {
    if (lower[1] === 'queues') return page(config.queues.map(queue), 'Queues');
    if (lower[1] === 'topics') return page(config.topics.map(topic), 'Topics');
    return nothing;
  }
  const t = config.topics.find((candidate) => candidate.path === lower[0]);
  if (lower.length === 1) {
    const q = config.queues.find((candidate) => candidate.path === lower[0]);
    if (q) return { kind: 'entry', entry: queue(q) };
    return t ? { kind: 'entry', entry: topic(t) } : nothing;
  }
  if (!t || lower[1] !== 'subscriptions') return nothing;
  if (lower.length === 2)
    return page(
      t.subscriptions.map((s) => subscription(t, s)),
      'Subscriptions',
    );
  const s = t.subscriptions.find((candidate) => candidate.path === `${t.path}/subscriptions/${lower[2]}`);
  return s && lower.length === 3 ? { kind: 'entry', entry: subscription(t, s) } : nothing;
}

/** A topic holds nothing itself: its size and scheduled count are its subscriptions'. */
function topicCounts(options: ManagementApiOptions, topic: TopicConfig): EntityCounts {
  const each = topic.subscriptions.map((s) => countsOf(options.namespace, s.path));
  const sum = (pick: (c: EntityCounts) => number): number => each.reduce((a, c) => a + pick(c), 0);
  return {
    active: sum((c) => c.active),
    deadLettered: sum((c) => c.deadLettered),
    scheduled: sum((c) => c.scheduled),
    transfer: 0,
    transferDeadLettered: 0,
    total: sum((c) => c.total),
    sizeInBytes: sum((c) => c.sizeInBytes),
  };
}

function timesOf(options: ManagementApiOptions, path: string): EntityTimes {
  return { createdAt: options.createdAt, accessedAt: options.access.lastAccess(path) };
}
