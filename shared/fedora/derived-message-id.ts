import { canonicalJson, sha256 } from '../distro/canonical-json';

/**
 * The id of a fedmsg-era record that carries none. Datagrepper v1 records and datanommer rows of the fedmsg
 * era may lack `msg_id` (or hold `null`); such a record is accepted with an id derived from what identifies
 * it:
 *
 *     derived-<hex SHA-256 of canonicalJson({ topic, timestamp, msg })>
 *
 * `topic` as recorded, `timestamp` the record's number (float seconds, not the ISO time made from it, so no
 * rounding enters), `msg` the body. Canonical JSON (`shared/distro/canonical-json.ts`): no whitespace, object
 * keys sorted at every depth (key order in the archive does not matter), strings and numbers as
 * `JSON.stringify` writes them, so `1449600728.0` and `1449600728` are one number, written `1449600728`. The same record read twice (a replayed archive, an overlapping
 * catch-up window) gets the same id, and the ingest ledger finds the repeat a duplicate as it does for a
 * real id.
 *
 * Why a prefix and not an `idDerived` flag on the event: the id travels alone through every store (the
 * Service Bus message id, the ingest ledger, the planner's planned ids and locks, plan records, `replay`
 * lines), where a flag beside it would be lost; the prefix says "derived" wherever the id shows up. It
 * cannot collide with a Fedora id (a UUID, or `YYYY-<uuid>` in the fedmsg era), and at 72 characters it
 * fits a Service Bus message id (128).
 */
export const DERIVED_ID_PREFIX = 'derived-';

export interface IdentifyingFields {
  readonly topic: string;
  readonly timestamp: number;
  readonly msg: Record<string, unknown>;
}

export function derivedMessageId({ topic, timestamp, msg }: IdentifyingFields): string {
  return `${DERIVED_ID_PREFIX}${sha256(canonicalJson({ topic, timestamp, msg }))}`;
}

/** Whether `id` was derived by `derivedMessageId` rather than given by Fedora. */
export const isDerivedMessageId = (id: string): boolean =>
  id.startsWith(DERIVED_ID_PREFIX) && /^[0-9a-f]{64}$/.test(id.slice(DERIVED_ID_PREFIX.length));
