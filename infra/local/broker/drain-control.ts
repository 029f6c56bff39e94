import type { Sender } from 'rhea';

/**
 * Answering a receiver's drain request (a flow with `drain` set), as Service Bus does: after sending what
 * is available, the broker uses up the remaining link credit (advancing the delivery count) and echoes the
 * flow with `drain` set, keeping the link attached. The SDK's batching receiver drains the leftover credit at
 * the end of every `receiveMessages` and closes the link when no drained flow comes back within 200 ms;
 * for a session receiver that closed link is the end of the session (settling then fails with
 * `SessionLockLost`).
 *
 * rhea writes that flow once the application calls `set_drained(true)`, but only sets `drain` in it while
 * credit is left. When the transfers in flight used up the credit exactly, the flow must still carry
 * `drain`, or the client never sees `receiver_drained`; for that one case we make rhea's `_get_drain`
 * answer true for the next flow it writes.
 */
interface SenderInternals {
  credit: number;
  issue_flow: boolean;
  _get_drain(): boolean;
  connection: { _register(): void };
}

const internals = (link: Sender): SenderInternals => link as unknown as SenderInternals;

export function answerDrain(link: Sender): void {
  const l = internals(link);
  if (l.credit > 0) {
    link.set_drained(true);
    return;
  }
  // An own property shadows the prototype's method for one flow, then steps aside.
  l._get_drain = () => {
    delete (l as Partial<SenderInternals>)._get_drain;
    return true;
  };
  l.issue_flow = true;
  l.connection._register();
}
