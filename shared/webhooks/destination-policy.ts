import ipaddr from 'ipaddr.js';
import { PipelineError } from '../errors';

/**
 * Where a webhook may be sent (issue 17, SSRF protection). Pure: the URL check runs when a subscription is
 * stored and again before every attempt; the address check runs on every address the host resolves to, in the
 * delivery client, which then connects to an address it checked and to no other.
 *
 * An address passes only if it is ordinary global unicast: IPv4 that ipaddr.js classifies `unicast`, IPv6 in
 * 2000::/3 that it classifies `unicast`. Everything else is refused, with ipaddr.js's name for its range as the
 * reason: loopback, private (10/8, 172.16/12, 192.168/16), linkLocal (169.254/16, fe80::/10), carrierGradeNat
 * (100.64/10), uniqueLocal (fc00::/7), multicast, unspecified (0/8, ::), broadcast, reserved (documentation,
 * benchmarking, 240/4, ...), and the IPv6 tunnelling and translation prefixes (6to4, teredo, rfc6145). An
 * address that carries an IPv4 address (IPv4-mapped `::ffff:a.b.c.d`, NAT64 `64:ff9b::a.b.c.d`) is judged as
 * that IPv4 address: NAT64 gateways of IPv6-only networks put public IPv4 receivers there (RFC 6052 forbids the
 * well-known prefix for non-global IPv4), and the mapped form reaches the IPv4 address on a dual-stack socket.
 * The cloud metadata and platform addresses are refused by name first, so the reason says so; most lie in a
 * refused range anyway, but 168.63.129.16 (Azure's platform address) is public.
 *
 * `allowLoopback` (the local runtime, tests) lets loopback addresses through, and with them plain http; http
 * to anything but loopback stays refused.
 */
export interface DestinationPolicy {
  readonly allowLoopback: boolean;
}

export const strictDestinationPolicy: DestinationPolicy = { allowLoopback: false };

/** Why an address is refused: ipaddr.js's range name, or one of ours. */
export type AddressRefusalReason =
  | 'cloud-metadata'
  | 'not-global-unicast'
  | 'plain-http-not-loopback'
  | ReturnType<ipaddr.IPv4['range']>
  | ReturnType<ipaddr.IPv6['range']>
  | 'ipv4Mapped'
  | 'rfc6052'
  | 'rfc6145'
  | 'deprecatedSiteLocal'
  | 'discard'
  | 'deprecatedOrchid'
  | 'segmentRouting';

export interface AddressRefusal {
  readonly address: string;
  readonly reason: AddressRefusalReason;
  /** The IPv4 address an IPv4-mapped or NAT64 address carries, when that is what was refused. */
  readonly embeddedIPv4?: string;
}

/** Why a URL is refused before any address is looked at. */
export type UrlRefusalReason =
  'invalid-url' | 'too-long' | 'scheme' | 'plain-http-not-loopback' | 'credentials' | 'loopback-name';

/** A URL that passed the URL check: what the delivery client resolves and connects to. */
export interface CheckedDestination {
  /** The normalised URL (WHATWG: `https://2130706433/` becomes `https://127.0.0.1/`); store and send this. */
  readonly url: URL;
  /** The host to resolve, without IPv6 brackets. */
  readonly host: string;
  /** Set when the host is an IP address literal: nothing to resolve. */
  readonly literalAddress?: string;
  /** `http:`, allowed only with `allowLoopback` and then only to loopback addresses. */
  readonly plainHttp: boolean;
}

/** Longer URLs are refused; 2048 is what browsers and most webhook providers accept. */
export const maxDestinationUrlLength = 2048;

/**
 * Cloud metadata and platform addresses, refused by name. Azure: IMDS 169.254.169.254 and the platform address
 * 168.63.129.16 (azure-docs `what-is-ip-address-168-63-129-16`). AWS (VPC user guide): IMDS 169.254.169.254 /
 * fd00:ec2::254, the Route 53 resolver 169.254.169.253 / fd00:ec2::253, the ECS task metadata 169.254.170.2,
 * the EKS Pod Identity agent fd00:ec2::23. Google's metadata server fd20:ce::254, Oracle's 192.0.0.192 and
 * fd00:c1::a9fe:a9fe, Alibaba's 100.100.100.200, Scaleway's 169.254.42.42 / fd00:42::42: the lists public
 * SSRF guards keep (the IPv6 ones collected from those, not from each provider's own page).
 */
export const cloudMetadataAddresses: readonly string[] = [
  '169.254.169.254',
  '168.63.129.16',
  '169.254.169.253',
  '169.254.170.2',
  '100.100.100.200',
  '192.0.0.192',
  '169.254.42.42',
  'fd00:ec2::254',
  'fd00:ec2::253',
  'fd00:ec2::23',
  'fd20:ce::254',
  'fd00:c1::a9fe:a9fe',
  'fd00:42::42',
];

const metadata = cloudMetadataAddresses.map((address) => ipaddr.parse(address));
const globalUnicastIPv6 = ipaddr.parseCIDR('2000::/3');
const nat64WellKnown = ipaddr.parseCIDR('64:ff9b::/96');

/** The refusal of one address under `policy`, or undefined when it may be connected to. */
export function addressRefusal(
  address: string,
  policy: DestinationPolicy,
  options: { readonly plainHttp?: boolean } = {},
): AddressRefusal | undefined {
  if (!ipaddr.isValid(address)) return { address, reason: 'not-global-unicast' };
  const parsed = ipaddr.parse(address);
  const refusal =
    parsed.kind() === 'ipv4'
      ? ipv4Refusal(parsed as ipaddr.IPv4, policy)
      : ipv6Refusal(parsed as ipaddr.IPv6, policy);
  if (refusal !== undefined) return { address, ...refusal };
  if (options.plainHttp === true && !isLoopback(parsed))
    return { address, reason: 'plain-http-not-loopback' };
  return undefined;
}

type Refusal = Omit<AddressRefusal, 'address'>;

function ipv4Refusal(address: ipaddr.IPv4, policy: DestinationPolicy): Refusal | undefined {
  if (isMetadata(address)) return { reason: 'cloud-metadata' };
  const range = address.range();
  if (range === 'unicast' || (range === 'loopback' && policy.allowLoopback)) return undefined;
  return { reason: range };
}

function ipv6Refusal(address: ipaddr.IPv6, policy: DestinationPolicy): Refusal | undefined {
  if (isMetadata(address)) return { reason: 'cloud-metadata' };
  const embedded = embeddedIPv4(address);
  if (embedded !== undefined) {
    const refusal = ipv4Refusal(embedded, policy);
    return refusal === undefined ? undefined : { ...refusal, embeddedIPv4: embedded.toString() };
  }
  const range = address.range() as AddressRefusalReason;
  if (range === 'loopback' && policy.allowLoopback) return undefined;
  if (range !== 'unicast') return { reason: range };
  if (!address.match(globalUnicastIPv6)) return { reason: 'not-global-unicast' };
  return undefined;
}

/** The IPv4 address an IPv4-mapped (`::ffff:0:0/96`) or well-known NAT64 (`64:ff9b::/96`) address carries. */
function embeddedIPv4(address: ipaddr.IPv6): ipaddr.IPv4 | undefined {
  if (address.isIPv4MappedAddress()) return address.toIPv4Address();
  if (!address.match(nat64WellKnown)) return undefined;
  const [high = 0, low = 0] = address.parts.slice(6);
  return new ipaddr.IPv4([high >> 8, high & 0xff, low >> 8, low & 0xff]);
}

function isMetadata(address: ipaddr.IPv4 | ipaddr.IPv6): boolean {
  return metadata.some((known) => known.kind() === address.kind() && known.toString() === address.toString());
}

function isLoopback(address: ipaddr.IPv4 | ipaddr.IPv6): boolean {
  if (address.kind() === 'ipv4') return address.range() === 'loopback';
  const v6 = address as ipaddr.IPv6;
  return v6.range() === 'loopback' || (v6.isIPv4MappedAddress() && v6.toIPv4Address().range() === 'loopback');
}

/**
 * Checks a webhook URL as given (by a subscriber, `--webhook`, a stored subscription): an absolute URL of at
 * most 2048 characters, https (http only with `allowLoopback`, to a loopback literal or `localhost`), no user
 * name or password, and, when the host is an address literal, an address the policy allows. A name that
 * WHATWG URL reads as an IPv4 address in another notation (`2130706433`, `0x7f.1`, `017700000001`) is
 * normalised to dotted decimal first and checked as that address. Throws `webhook.destination-refused` naming
 * `field` and the reason.
 */
export function checkDestinationUrl(
  raw: string,
  policy: DestinationPolicy,
  field = 'url',
): CheckedDestination {
  const refuse = (
    reason: UrlRefusalReason | AddressRefusalReason,
    why: string,
    extra: Record<string, string> = {},
  ) =>
    PipelineError.permanent('webhook.destination-refused', `${field}: ${why}`, { field, reason, ...extra });
  if (raw.length > maxDestinationUrlLength)
    throw refuse('too-long', `the URL is longer than ${maxDestinationUrlLength} characters`);
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw refuse('invalid-url', 'not an absolute URL');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw refuse(
      'scheme',
      `the scheme ${url.protocol.replace(/:$/, '')} is refused: webhooks are sent over https`,
    );
  if (url.username !== '' || url.password !== '')
    throw refuse('credentials', 'a URL with a user name or password is refused');
  const host = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
  const plainHttp = url.protocol === 'http:';
  const literal = ipaddr.isValid(host) ? host : undefined;
  if (literal === undefined && isLoopbackName(host) && !policy.allowLoopback)
    throw refuse('loopback-name', `${host} names this machine (loopback)`);
  if (plainHttp) {
    const toLoopback = literal === undefined ? isLoopbackName(host) : isLoopback(ipaddr.parse(literal));
    if (!policy.allowLoopback || !toLoopback)
      throw refuse('plain-http-not-loopback', 'plain http is refused: webhooks are sent over https');
  }
  if (literal !== undefined) {
    const refusal = addressRefusal(literal, policy, { plainHttp });
    if (refusal !== undefined) throw destinationRefused(field, host, refusal);
  }
  return { url, host, plainHttp, ...(literal === undefined ? {} : { literalAddress: literal }) };
}

/** `localhost` and names under `.localhost` (RFC 6761: they resolve to loopback, whatever a resolver says). */
function isLoopbackName(host: string): boolean {
  const name = host.toLowerCase().replace(/\.$/, '');
  return name === 'localhost' || name.endsWith('.localhost');
}

/**
 * Checks every address `host` resolved to: one refused address refuses the destination (a name with a public
 * and a private address would otherwise reach the private one on some attempt). Throws
 * `webhook.destination-refused` naming the first refused address; an empty list is the caller's to report.
 */
export function checkResolvedAddresses(
  destination: CheckedDestination,
  addresses: readonly string[],
  policy: DestinationPolicy,
  field = 'url',
): void {
  for (const address of addresses) {
    const refusal = addressRefusal(address, policy, { plainHttp: destination.plainHttp });
    if (refusal !== undefined) throw destinationRefused(field, destination.host, refusal);
  }
}

const reasonText: Partial<Record<AddressRefusalReason, string>> = {
  'cloud-metadata': 'a cloud metadata or platform address',
  'not-global-unicast': 'not a global unicast address',
  'plain-http-not-loopback': 'not loopback, and plain http goes to loopback only',
  loopback: 'a loopback address',
  private: 'a private address',
  linkLocal: 'a link-local address',
  carrierGradeNat: 'a carrier-grade NAT address',
  uniqueLocal: 'a unique-local address',
  multicast: 'a multicast address',
  unspecified: 'an unspecified address',
  broadcast: 'the broadcast address',
  reserved: 'a reserved or documentation address',
};

function destinationRefused(field: string, host: string, refusal: AddressRefusal): PipelineError {
  const what = reasonText[refusal.reason] ?? `in the ${refusal.reason} range`;
  const via = refusal.embeddedIPv4 === undefined ? '' : `, which carries ${refusal.embeddedIPv4}`;
  const subject = host === refusal.address ? refusal.address : `${host} resolves to ${refusal.address}`;
  return PipelineError.permanent('webhook.destination-refused', `${field}: ${subject}${via}: ${what}`, {
    field,
    reason: refusal.reason,
    host,
    address: refusal.address,
    ...(refusal.embeddedIPv4 === undefined ? {} : { embeddedIPv4: refusal.embeddedIPv4 }),
  });
}
