import type { NormalizeOutcome, UpstreamEvent } from './upstream-event';
import { readEnvelope } from './read-envelope';
import type { ReleaseOptions } from './release-mapping';
import { routeTopic } from './topic-routing';
import { formatPath } from './verdict';

/**
 * Fedora message (any of the three serialized forms) → one UpstreamEvent, or why not. Pure and synchronous:
 * no I/O, no clock, no shared state, so every ingest path (HTTP, datagrepper catch-up, AMQP bridge, the CLI)
 * gets the same answer for the same message.
 *
 *  - accepted: a relevant message, normalized;
 *  - ignored: a valid message that does not concern rebuilds (scratch build, non-rpms namespace, unknown or
 *    deliberately skipped topic, …), with the reason;
 *  - rejected: not a well-formed message of its topic, with the path of the first problem in the input
 *    (`body.build_id`; `msg.build_id` in a v1 record) and a readable reason.
 *
 * It never throws: exotic objects (throwing getters, proxies) are rejected as unreadable.
 */
export type NormalizeOptions = ReleaseOptions;

export function normalize(input: unknown, options: NormalizeOptions = {}): NormalizeOutcome {
  try {
    return normalizeMessage(input, options);
  } catch (error) {
    return { outcome: 'rejected', id: undefined, topic: undefined, path: '', reason: unreadable(error) };
  }
}

/**
 * Normalizes one message, an array of messages, or a datagrepper page (`{raw_messages: [...]}`, v1 or v2):
 * one outcome per message, in input order.
 */
export function normalizeMany(input: unknown, options: NormalizeOptions = {}): NormalizeOutcome[] {
  let messages: unknown;
  try {
    messages = Array.isArray(input) ? input : pageItems(input);
  } catch (error) {
    return [{ outcome: 'rejected', id: undefined, topic: undefined, path: '', reason: unreadable(error) }];
  }
  if (!Array.isArray(messages)) return [normalize(input, options)];
  const outcomes: NormalizeOutcome[] = new Array<NormalizeOutcome>(messages.length);
  for (let i = 0; i < messages.length; i += 1) outcomes[i] = normalize(messages[i], options);
  return outcomes;
}

function normalizeMessage(input: unknown, options: NormalizeOptions): NormalizeOutcome {
  const read = readEnvelope(input);
  if (!read.ok) {
    return { outcome: 'rejected', id: read.id, topic: read.topic, path: read.path, reason: read.reason };
  }
  const { id, topic, body, bodyKey } = read.envelope;
  const route = routeTopic(topic);
  if (route.type === 'ignored') return { outcome: 'ignored', id, topic, reason: route.reason };
  const verdict = route.handler(body, { suffix: route.suffix, options });
  switch (verdict.type) {
    case 'ignored':
      return { outcome: 'ignored', id, topic, reason: verdict.reason };
    case 'rejected': {
      const path = formatPath(verdict.path, bodyKey);
      return { outcome: 'rejected', id, topic, path, reason: `${path}: ${verdict.message}` };
    }
    case 'event': {
      const event: UpstreamEvent = {
        messageId: id,
        topic,
        ...verdict.fields,
        time: read.envelope.time,
        severity: read.envelope.severity ?? verdict.defaultSeverity,
      };
      return { outcome: 'accepted', id, topic, event };
    }
  }
}

/** The items of a datagrepper page, or undefined when `input` is not one. */
function pageItems(input: unknown): unknown {
  if (typeof input !== 'object' || input === null || !Object.hasOwn(input, 'raw_messages')) return undefined;
  return (input as { raw_messages: unknown }).raw_messages;
}

function unreadable(error: unknown): string {
  try {
    return `unreadable message: ${error instanceof Error ? error.message : String(error)}`.slice(0, 500);
  } catch {
    return 'unreadable message';
  }
}
