import type { Connection } from 'rhea';
import { BrokerError } from './broker-error';
import { normalize } from './namespace';
import type { GrantedClaim, SasVerdict, SharedAccessKeys } from './sas-token';
import { verifySasToken } from './sas-token';

/** The answer to a `$cbs` put-token: the `status-code` and `status-description` of the reply. */
export interface CbsAnswer {
  readonly statusCode: number;
  readonly description: string;
  /** Set on a refusal: the condition Service Bus names (the SDK maps it to `UnauthorizedAccess`). */
  readonly condition?: string;
}

/** Service Bus's condition for a refused token; core-amqp maps it to `UnauthorizedError`. */
export const AUTH_FAILED = 'com.microsoft:auth-failed';

/**
 * Claims-based security for the connections that must authenticate (those on the TLS listener): a put-token
 * on `$cbs` is checked against the namespace's shared access keys and, when it passes, remembered for the
 * connection; a link may attach to an entity only while the connection holds an unexpired claim covering it.
 * Connections on the plain listener are not tracked: they are trusted, as the emulator trusts every client.
 */
export class Claims {
  private readonly byConnection = new WeakMap<Connection, GrantedClaim[]>();

  constructor(
    private readonly keys: SharedAccessKeys,
    private readonly clock: () => number,
  ) {}

  /** Marks a connection as one that must authenticate (it arrived over TLS). */
  require(connection: Connection): void {
    if (!this.byConnection.has(connection)) this.byConnection.set(connection, []);
  }

  /** Answers `put-token`: 202 for a good token (remembered), 401 with Azure's reason otherwise. */
  putToken(connection: Connection, audience: string, token: unknown): CbsAnswer {
    const granted = this.byConnection.get(connection);
    if (!granted) return { statusCode: 202, description: 'Accepted' };
    const verdict: SasVerdict =
      typeof token === 'string'
        ? verifySasToken(token, this.keys, audience, this.clock())
        : { ok: false, description: 'InvalidSignature: The token is not a SharedAccessSignature.' };
    if (!verdict.ok) return { statusCode: 401, description: verdict.description, condition: AUTH_FAILED };
    granted.push({ resource: verdict.resource, expiresAtMs: verdict.expiresAtMs });
    return { statusCode: 202, description: 'Accepted' };
  }

  /**
   * Throws the refusal Service Bus gives a link attached without a claim for its entity (`address` is the
   * entity path or `sb://host/path`; the claim's host was checked against the token's audience at put-token).
   */
  checkAttach(connection: Connection, address: string, claim: 'Send' | 'Listen'): void {
    const granted = this.byConnection.get(connection);
    if (!granted) return;
    const now = this.clock();
    const path = normalize(address);
    const held = granted.some(
      (c) =>
        c.expiresAtMs > now && (pathOf(c.resource) === '' || covers(pathOf(c.resource), path.split('/'))),
    );
    if (!held) {
      throw new BrokerError(
        'amqp:unauthorized-access',
        `Unauthorized access. '${claim}' claim(s) are required to perform this operation. Resource: '${address}'.`,
        401,
      );
    }
  }
}

/** `host:port/a/b` → `a/b`. */
const pathOf = (resource: string): string => resource.slice(resource.indexOf('/') + 1 || resource.length);

function covers(granted: string, wanted: readonly string[]): boolean {
  const parts = granted.split('/');
  return parts.every((part, i) => wanted[i] === part);
}
