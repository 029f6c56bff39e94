import type { BrokerMessage } from './broker-message';

/**
 * Receives every durable change of an entity. The in-memory broker uses `noJournal`; the local run writes the
 * changes to disk (`journal-file.ts`) so that a restart loses no message.
 */
export interface EntityJournal {
  put(path: string, message: BrokerMessage): void;
  remove(path: string, sequenceNumber: number): void;
  sessionState(path: string, sessionId: string, state: Buffer | undefined): void;
  seen(path: string, messageId: string, at: number): void;
}

export const noJournal: EntityJournal = {
  put: () => undefined,
  remove: () => undefined,
  sessionState: () => undefined,
  seen: () => undefined,
};
