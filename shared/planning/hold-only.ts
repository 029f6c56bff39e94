import type { UpstreamEvent } from '../fedora/upstream-event';
import type { PassResult } from './planning-service';
import type { PendingEvents } from './ports';

/** What the plan function calls: the full `PlanningService`, or `holdOnly` when planning is not configured. */
export interface Planning {
  accept(event: UpstreamEvent): Promise<PassResult>;
  runPass(): Promise<PassResult>;
}

/**
 * Planning switched off (no distro tree configured): events are kept pending, nothing is lost, and the
 * first pass after planning is configured decides them all.
 */
export function holdOnly(pending: PendingEvents): Planning {
  return {
    accept: async (event) => {
      await pending.add(event);
      return { ran: false, why: 'not-configured' };
    },
    runPass: () => Promise.resolve({ ran: false, why: 'not-configured' }),
  };
}
