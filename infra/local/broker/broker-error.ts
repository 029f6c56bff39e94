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

  /**
   * Azure names the entity as `sb://<namespace host>/<path>`. The namespace does not know which host name a
   * client dialled, so it throws this without one and the connection's edge adds it (`forClientHost`).
   */
  static entityNotFound(path: string, host?: string): BrokerError {
    const name = host === undefined ? path : `sb://${host}/${path}`;
    const error = new BrokerError(
      'amqp:not-found',
      `The messaging entity '${name}' could not be found. To know more visit https://aka.ms/sbResourceMgrExceptions.`,
      404,
    );
    error.missingEntity = path;
    return error;
  }

  /** A message, a batch or a scheduled message over the entity's limit, worded as Azure words it. */
  static messageSizeExceeded(size: number, limit: number): BrokerError {
    return new BrokerError(
      'amqp:link:message-size-exceeded',
      `The received message (size:${size} bytes) exceeds the limit (${limit} bytes) currently allowed on the link.`,
      // core-amqp's status for this condition (ConditionStatusMapper); the SDK maps the condition itself.
      403,
    );
  }

  /** The entity a not-found error is about, without a host; undefined for every other error. */
  missingEntity: string | undefined = undefined;

  /** This error as a client that dialled `host` should see it (not-found errors name the entity's full URI). */
  forClientHost(host: string | undefined): BrokerError {
    if (this.missingEntity === undefined || host === undefined) return this;
    return BrokerError.entityNotFound(this.missingEntity, host);
  }

  static messageNotFound(what: string): BrokerError {
    return new BrokerError('com.microsoft:message-not-found', what, 404);
  }

  static argument(what: string): BrokerError {
    return new BrokerError('com.microsoft:argument-error', what, 400);
  }
}
