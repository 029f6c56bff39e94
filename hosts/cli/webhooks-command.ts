import { InvalidArgumentError, Option } from 'commander';
import type { Command } from 'commander';
import { PipelineError } from '../../shared/errors';
import { parseWebhookSecret } from '../../shared/webhooks/webhook-secret';
import { WebhookApiClient } from '../../infra/webhooks/webhook-api-client';
import { runJsonCommand, runTextCommand, writeStream } from './json-output';
import type { TargetOptions } from './webhook-api-target';
import { resolveWebhookTarget, withTargetOptions } from './webhook-api-target';
import type { ListenOptions } from './webhooks-listen-run';
import { deliveriesTable } from './webhook-deliveries-table';

/** Subscription formats the API knows (`webhookFormats`); it answers 400 for one it does not deliver yet. */
const formats = ['cloudevents', 'slack', 'teams'] as const;

interface AddOptions extends TargetOptions {
  readonly event?: string[];
  readonly component?: string[];
  readonly channel?: string[];
  readonly repository?: string[];
  readonly format?: string;
  readonly description?: string;
}

interface DeliveriesOptions extends TargetOptions {
  readonly limit?: number;
  readonly continuationToken?: string;
  readonly json: boolean;
}

/** A repeatable option: each use adds one; absent, the option is undefined (help shows no `[]` default). */
const collect = (value: string, previous: string[] | undefined): string[] => [...(previous ?? []), value];

const wholeNumber = (min: number, max: number) => (value: string) => {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < min || parsed > max)
    throw new InvalidArgumentError(`expected a whole number from ${min} to ${max}`);
  return parsed;
};

const secret = (value: string): string => {
  try {
    return parseWebhookSecret(value);
  } catch (error) {
    throw new InvalidArgumentError(PipelineError.is(error) ? error.message : 'not a webhook secret');
  }
};

/**
 * `--since`: an ISO 8601 time (`2026-12-06T07:00:00Z`), or a span back from now: `<n>m`, `<n>h` or `<n>d`.
 * `now` is read when the option is parsed.
 */
export function sinceTime(value: string, now: () => Date = () => new Date()): Date {
  const span = /^(\d+)([mhd])$/.exec(value.trim());
  if (span) {
    const unitMs = { m: 60_000, h: 3_600_000, d: 86_400_000 }[span[2] as 'm' | 'h' | 'd'];
    return new Date(now().getTime() - Number(span[1]) * unitMs);
  }
  const time = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?$/.test(value)
    ? new Date(value)
    : undefined;
  if (time === undefined || Number.isNaN(time.getTime()))
    throw new InvalidArgumentError('expected an ISO 8601 time (2026-12-06T07:00:00Z) or a span: 30m, 2h, 1d');
  return time;
}

/**
 * `azl-rebuilder webhooks …`: the webhook subscription API of a running pipeline (`--local`, or `--url` and
 * `--key`, as for `replay`), and `listen`, a local receiver for trying it out. Each API command prints the
 * answer as one JSON document on stdout (exit 0), or `{error: {code, message, …}}` there and a line on stderr
 * (exit 1; a `webhooks.refused` carries the API's `status` and `apiCode`); `deliveries` prints a table
 * unless `--json`. Usage errors exit 2.
 */
export function registerWebhooksCommand(program: Command, setExitCode: (code: number) => void): Command {
  const webhooks = program
    .command('webhooks')
    .description('manage webhook subscriptions of a running pipeline, or receive webhooks locally');
  const api = (options: TargetOptions) => new WebhookApiClient(resolveWebhookTarget(options));
  const json = (name: string, produce: () => unknown) =>
    runJsonCommand(`webhooks ${name}`, produce).then(setExitCode);

  withTargetOptions(
    webhooks
      .command('add')
      .description('subscribe a URL to events; prints its id and its secret (shown this once)')
      .argument('<url>', 'where the events go (https; http only for loopback where the pipeline allows it)')
      .option('--event <type>', 'an event type to send (repeatable); default: every event (*)', collect)
      .option('--component <name>', 'only events about this component (repeatable)', collect)
      .option('--channel <name>', 'only events about repositories of this channel (repeatable)', collect)
      .option('--repository <id>', 'only events about this repository (repeatable)', collect)
      .addOption(new Option('--format <format>', 'the body format').choices(formats))
      .option('--description <text>', 'a note for people'),
  ).action((url: string, options: AddOptions) =>
    json('add', async () => {
      const filters = {
        ...(options.component ? { components: options.component } : {}),
        ...(options.channel ? { channels: options.channel } : {}),
        ...(options.repository ? { repositories: options.repository } : {}),
      };
      const created = await api(options).create({
        url,
        events: options.event ?? ['*'],
        ...(Object.keys(filters).length > 0 ? { filters } : {}),
        ...(options.description === undefined ? {} : { description: options.description }),
        ...(options.format === undefined ? {} : { format: options.format }),
      });
      await writeStream(
        process.stderr,
        `azl-rebuilder webhooks add: the secret of ${created.id} is shown this once: keep it now\n`,
      );
      return created;
    }),
  );

  withTargetOptions(webhooks.command('list').description('the subscriptions (never their secrets)')).action(
    (options: TargetOptions) => json('list', async () => ({ items: await api(options).list() })),
  );

  withTargetOptions(
    webhooks.command('remove').description('delete a subscription').argument('<id>', 'the subscription id'),
  ).action((id: string, options: TargetOptions) =>
    json('remove', async () => {
      await api(options).remove(id);
      return { removed: id };
    }),
  );

  for (const [name, enabled] of [
    ['enable', true],
    ['disable', false],
  ] as const) {
    withTargetOptions(
      webhooks
        .command(name)
        .description(`${name} a subscription (PATCH enabled: ${enabled})`)
        .argument('<id>', 'the subscription id'),
    ).action((id: string, options: TargetOptions) => json(name, () => api(options).update(id, { enabled })));
  }

  withTargetOptions(
    webhooks
      .command('rotate-secret')
      .description('a new secret (shown this once); the old one keeps signing for a grace period')
      .argument('<id>', 'the subscription id'),
  ).action((id: string, options: TargetOptions) =>
    json('rotate-secret', async () => {
      const rotated = await api(options).rotateSecret(id);
      await writeStream(
        process.stderr,
        `azl-rebuilder webhooks rotate-secret: the new secret of ${id} is shown this once: keep it now\n`,
      );
      return rotated;
    }),
  );

  withTargetOptions(
    webhooks
      .command('test')
      .description('send the endpoint a webhook.ping (see it with `webhooks deliveries`)')
      .argument('<id>', 'the subscription id'),
  ).action((id: string, options: TargetOptions) => json('test', () => api(options).ping(id)));

  withTargetOptions(
    webhooks
      .command('deliveries')
      .description("the endpoint's delivery attempts, newest first (a table; --json for the API's answer)")
      .argument('<id>', 'the subscription id')
      .option('--limit <n>', 'attempts per page', wholeNumber(1, 1000))
      .option('--continuation-token <token>', 'the next page (printed after the previous one)')
      .option('--json', 'print the page as JSON', false),
  ).action(async (id: string, options: DeliveriesOptions) => {
    const page = () =>
      api(options).deliveries(id, {
        ...(options.limit === undefined ? {} : { limit: options.limit }),
        ...(options.continuationToken === undefined ? {} : { continuationToken: options.continuationToken }),
      });
    if (options.json) return json('deliveries', page);
    setExitCode(
      await runTextCommand('webhooks deliveries', async () =>
        deliveriesTable(await page(), (token) => nextPageCommand(id, options, token)),
      ),
    );
  });

  withTargetOptions(
    webhooks
      .command('redeliver')
      .description('send one delivery again (a new round, the same webhook-id)')
      .argument('<id>', 'the subscription id')
      .argument('<deliveryId>', 'the delivery (dlv_…), from `webhooks deliveries`'),
  ).action((id: string, deliveryId: string, options: TargetOptions) =>
    json('redeliver', () => api(options).redeliver(id, deliveryId)),
  );

  withTargetOptions(
    webhooks
      .command('recover')
      .description('send again every delivery to the endpoint that failed since a time')
      .argument('<id>', 'the subscription id')
      .requiredOption('--since <time>', 'ISO 8601 time, or a span back from now: 30m, 2h, 1d', (value) =>
        sinceTime(value),
      ),
  ).action((id: string, options: TargetOptions & { since: Date }) =>
    json('recover', () => api(options).recover(id, options.since)),
  );

  webhooks
    .command('listen')
    .description('receive webhooks here: verify each signature (with --secret) and print one line per event')
    .option('--port <port>', 'the port (0 picks a free one)', wholeNumber(0, 65_535), 0)
    .option('--host <host>', 'the interface to listen on', '127.0.0.1')
    .option('--secret <whsec>', 'the subscription secret (whsec_…); without it nothing is verified', secret)
    .action(async (options: ListenOptions) => {
      const { runListen } = await import('./webhooks-listen-run');
      setExitCode(await runListen(options));
    });

  return webhooks;
}

/** The same command for the next page, for the table's last line. */
function nextPageCommand(id: string, options: DeliveriesOptions, token: string): string {
  const target = options.url
    ? `--url ${options.url}${options.key ? ' --key <key>' : ''}`
    : `--local --data-dir ${options.dataDir}`;
  const limit = options.limit === undefined ? '' : ` --limit ${options.limit}`;
  return `azl-rebuilder webhooks deliveries ${id} ${target}${limit} --continuation-token ${token}`;
}
