import { z } from 'zod';
import { PipelineError } from '../../shared/errors';
import { rebuildRoutingKeys } from './routing-keys';

/**
 * Settings of the AMQP bridge. The defaults are those of Fedora's public broker (research note §1.6):
 * `amqps://rabbitmq.fedoraproject.org` (port 5671), vhost `/public_pubsub`, exchange `amq.topic`, SASL EXTERNAL
 * with the public client certificate `CN=fedora`, whose file paths (`tls.caFile/certFile/keyFile`, shipped by
 * fedora-messaging as cacert.pem, fedora-cert.pem, fedora-key.pem) the caller supplies. For tests and local
 * runs a plain `amqp://user:pass@host:port` URL works with SASL PLAIN and `vhost: '/'`.
 *
 * The vhost is its own field; a path in the URL (fedora-messaging writes `…/%2Fpublic_pubsub`) is accepted
 * only when it names the same vhost, so the two can never silently disagree.
 */
const backoff = (initialMs: number, maxMs: number) =>
  z
    .object({
      initialMs: z.number().int().min(1).default(initialMs),
      maxMs: z.number().int().min(1).default(maxMs),
      factor: z.number().min(1).default(2),
      jitter: z.number().min(0).max(1).default(0.2),
    })
    .refine((policy) => policy.maxMs >= policy.initialMs, { message: 'maxMs must be >= initialMs' });

const filePath = z.string().min(1);

export const bridgeConfigSchema = z
  .object({
    url: z.string().min(1).default('amqps://rabbitmq.fedoraproject.org'),
    vhost: z.string().min(1).default('/public_pubsub'),
    exchange: z.string().min(1).default('amq.topic'),
    /** Routing keys (topic patterns) bound to the bridge's queue. */
    bindings: z.array(z.string().min(1).max(255)).min(1).default(rebuildRoutingKeys),
    /** `external`: the TLS client certificate authenticates (Fedora's broker). Default: external when a client certificate is given, else plain (user and password from the URL, guest/guest when absent). */
    sasl: z.enum(['external', 'plain']).optional(),
    tls: z
      .object({ caFile: filePath.optional(), certFile: filePath.optional(), keyFile: filePath.optional() })
      .optional(),
    /** Unacknowledged deliveries in flight at once (fedora-messaging's config uses 25). */
    prefetch: z.number().int().min(1).max(65_535).default(25),
    /** AMQP heartbeat: a dead TCP connection is noticed after about two of these. 0 disables. */
    heartbeatSeconds: z.number().int().min(0).default(30),
    connectTimeoutMs: z.number().int().min(1).default(30_000),
    /** Between reconnect attempts after a connection or channel loss, and between catch-up retries. */
    reconnect: backoff(1_000, 60_000).prefault({}),
    /** How long a delivery the sink could not take is held before it is requeued (grows per message). */
    submitRetry: backoff(1_000, 30_000).prefault({}),
    /** Recycle the connection when no delivery arrived for this long (a consumer can stop silently). 0 disables. */
    watchdogIdleMs: z.number().int().min(0).default(600_000),
    /** How long `stop()` waits for in-flight submits and the catch-up before closing anyway. */
    stopTimeoutMs: z.number().int().min(0).default(30_000),
  })
  .superRefine((config, ctx) => {
    const problem = checkEndpoint(config);
    if (problem) ctx.addIssue({ code: 'custom', message: problem.message, path: [problem.field] });
  });

export type BridgeConfigInput = z.input<typeof bridgeConfigSchema>;
export type BridgeConfig = z.output<typeof bridgeConfigSchema> & { readonly sasl: 'external' | 'plain' };

/** Validates and completes a bridge configuration; throws a permanent `fedora-bridge.invalid-config` error. */
export function parseBridgeConfig(input: unknown): BridgeConfig {
  const parsed = bridgeConfigSchema.safeParse(input ?? {});
  if (!parsed.success) {
    const problems = parsed.error.issues.map(
      (issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`,
    );
    throw PipelineError.permanent(
      'fedora-bridge.invalid-config',
      `Invalid AMQP bridge configuration: ${problems.join('; ')}`,
      { field: parsed.error.issues[0]?.path.join('.') ?? '' },
    );
  }
  return { ...parsed.data, sasl: saslOf(parsed.data) };
}

function saslOf(config: { sasl?: 'external' | 'plain'; tls?: { certFile?: string } }): 'external' | 'plain' {
  return config.sasl ?? (config.tls?.certFile ? 'external' : 'plain');
}

type EndpointFields = Pick<z.output<typeof bridgeConfigSchema>, 'url' | 'vhost' | 'sasl' | 'tls'>;

function checkEndpoint(config: EndpointFields): { field: string; message: string } | undefined {
  let url: URL;
  try {
    url = new URL(config.url);
  } catch {
    return { field: 'url', message: 'not a URL' };
  }
  if (url.protocol !== 'amqp:' && url.protocol !== 'amqps:') {
    return { field: 'url', message: `expected amqp:// or amqps://, got ${url.protocol}//` };
  }
  if (!url.hostname) return { field: 'url', message: 'no host' };
  const path = url.pathname === '' || url.pathname === '/' ? undefined : url.pathname.slice(1);
  if (path !== undefined && decodeURIComponent(path) !== config.vhost) {
    return {
      field: 'url',
      message: `the URL names vhost ${decodeURIComponent(path)} but vhost is ${config.vhost}`,
    };
  }
  const tls = config.tls;
  if (url.protocol === 'amqp:' && (tls?.caFile || tls?.certFile || tls?.keyFile)) {
    return { field: 'tls', message: 'TLS files are given but the URL is amqp:// (use amqps://)' };
  }
  if (Boolean(tls?.certFile) !== Boolean(tls?.keyFile)) {
    return { field: 'tls', message: 'certFile and keyFile go together' };
  }
  if (saslOf(config) === 'external' && (url.protocol !== 'amqps:' || !tls?.certFile)) {
    return {
      field: 'sasl',
      message: 'SASL EXTERNAL needs amqps:// and a client certificate (tls.certFile, tls.keyFile)',
    };
  }
  return undefined;
}
