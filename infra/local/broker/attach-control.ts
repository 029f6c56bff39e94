import type { link as Link } from 'rhea';
import { ticksLong } from './amqp-values';
import type { BrokerError } from './broker-error';

/**
 * rhea answers a peer's attach by itself, on the next tick after the `sender_open` event. Service Bus holds a
 * "next session" attach open until a session is free (or its timeout passes), and answers a refused attach
 * with an empty terminus followed by a detach carrying the error. These helpers do both, touching rhea's
 * link state (`state.open_requests`, `connection._register`) in the one documented place where we need to.
 */
interface LinkInternals {
  state: { open_requests: number };
  local: { attach: { source: unknown; target: unknown; properties: unknown } };
  connection: { _register(): void };
}

const internals = (link: Link): LinkInternals => link as unknown as LinkInternals;

/** Keeps rhea from answering the attach until `answerAttach` (or `refuseAttach`) is called. */
export function holdAttach(link: Link): void {
  const state = internals(link).state;
  if (state.open_requests > 0) state.open_requests -= 1;
}

export function answerAttach(link: Link): void {
  const l = internals(link);
  l.state.open_requests += 1;
  l.connection._register();
}

/** Echoes the session filter with the session now held, and its lock time, as Service Bus does. */
export function describeSession(link: Link, address: string, sessionId: string, lockedUntil: number): void {
  link.set_source({ address, filter: { 'com.microsoft:session-filter': sessionId } } as never);
  internals(link).local.attach.properties = { 'com.microsoft:locked-until-utc': ticksLong(lockedUntil) };
}

/** Refuses a link: empty source and target in the attach, then a detach with the error. */
export function refuseAttach(link: Link, error: BrokerError, held: boolean): void {
  const l = internals(link);
  l.local.attach.source = null;
  l.local.attach.target = null;
  if (held) l.state.open_requests += 1;
  link.close({ condition: error.condition, description: error.message } as never);
}
