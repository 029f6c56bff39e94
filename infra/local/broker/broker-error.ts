/**
 * An error the broker reports to a client as an AMQP error condition. The conditions are the ones Service Bus
 * uses, so the SDK maps them to its own error codes (`MessageLockLost`, `SessionCannotBeLocked`, ...).
 */
export class BrokerError extends Error {
  constructor(
    readonly condition: string,
    description: string,
    /** The `status-code` a `$management` reply carries for this error. */
    readonly statusCode: number = 400,
  ) {
    super(description);
  }

  static lockLost(token: string): BrokerError {
    return new BrokerError(
      'com.microsoft:message-lock-lost',
      `The lock supplied (${token}) is invalid: it expired, or the message was already settled.`,
      410,
    );
  }

  static sessionLockLost(sessionId: string): BrokerError {
    return new BrokerError(
      'com.microsoft:session-lock-lost',
      `The session lock of session '${sessionId}' was lost. Accept the session again.`,
      410,
    );
  }

  static entityNotFound(address: string): BrokerError {
    return new BrokerError(
      'amqp:not-found',
      `The messaging entity '${address}' could not be found. status-code: 404`,
      404,
    );
  }

  static messageNotFound(what: string): BrokerError {
    return new BrokerError('com.microsoft:message-not-found', what, 404);
  }

  static argument(what: string): BrokerError {
    return new BrokerError('com.microsoft:argument-error', what, 400);
  }
}
