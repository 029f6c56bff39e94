import type { PendingEvents, Planning } from './ports';

/**
 * Planning switched off (no distro tree configured): events are kept pending, nothing is lost, and the
 * first pass after planning is configured decides them all.
 */
export function holdOnly(pending: PendingEvents): Planning {
  return {
    accept: async (event) => {
      await pending.add(event, { receivedAt: new Date() });
      return { ran: false, why: 'not-configured' };
    },
    runPass: () => Promise.resolve({ ran: false, why: 'not-configured' }),
  };
}
