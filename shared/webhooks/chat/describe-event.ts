import type { EventData, PipelineEvent } from '../../events';
import type { ChatFact, ChatLine, ChatMessage } from './chat-message';
import { clip, count, listWithMore, maxMessageLength, plural } from './chat-message';
import { statusLinkOf } from './status-link';

/**
 * The chat message of a catalogue event: one line naming what it is about (component, plan, repository,
 * endpoint) and what happened, and the facts a reader acts on (the NEVRAs built, the error code and message
 * of a failure, a revision's package counts), with a link to the status API answer when `publicUrl` is
 * known. Pure. The switch is exhaustive over the catalogue, so a new event type does not compile until it
 * has its line.
 */
export function describeEvent(event: PipelineEvent, publicUrl?: string): ChatMessage {
  const link = statusLinkOf(event, publicUrl);
  return {
    ...linesOf(event),
    ...(link === undefined ? {} : { link }),
    context: `${event.type} · ${clip(event.subject)} · ${event.time}`,
  };
}

type Lines = Pick<ChatMessage, 'headline' | 'facts'>;

function linesOf(event: PipelineEvent): Lines {
  switch (event.type) {
    case 'plan.created':
      return planCreated(event.data);
    case 'build.started':
      return {
        headline: ['🔨 Build of ', { strong: clip(event.data.component) }, ' started'],
        facts: buildFacts(event.data),
      };
    case 'build.succeeded':
      return {
        headline: [
          '✅ ',
          { strong: clip(event.data.component) },
          ` built ${plural(event.data.nevras.length, 'package')}`,
          ...sentTo(event.data.repositories),
        ],
        facts: [
          { name: 'Packages', value: listWithMore(event.data.nevras) },
          ...repositoriesFact(event.data.repositories),
          ...buildFacts(event.data),
        ],
      };
    case 'build.unchanged':
      return {
        headline: [
          '➖ ',
          { strong: clip(event.data.component) },
          ' rebuilt with the same contents as its last success; nothing was published',
        ],
        facts: [{ name: 'Packages', value: listWithMore(event.data.nevras) }, ...buildFacts(event.data)],
      };
    case 'build.failed':
      return buildFailed(event.data);
    case 'build.overlay-drift':
      return {
        headline: [
          '⚠️ ',
          { strong: clip(event.data.component) },
          ": an overlay no longer applies to the upstream spec and needs a maintainer's fix",
          ...errorSuffix(event.data.error),
        ],
        facts: buildFacts(event.data),
      };
    case 'repo.published':
      return repoPublished(event.data);
    case 'image.published':
      return {
        headline: [
          '💿 Image ',
          { strong: clip(event.data.image) },
          ' ',
          { code: clip(event.data.version) },
          ` published with ${plural(event.data.packages, 'package')}`,
        ],
        facts: [
          { name: 'VHD', value: [{ link: event.data.blobUrl, label: 'download' }] },
          { name: 'Manifest', value: [{ link: event.data.manifestUrl, label: 'manifest.json' }] },
          { name: 'SHA-256', value: [{ code: event.data.sha256 }] },
          ...imageRepositories(event.data.repositories),
          ...(event.data.missing.length === 0
            ? []
            : [{ name: 'Left out', value: listWithMore(event.data.missing) }]),
        ],
      };
    case 'image.failed':
      return {
        headline: [
          '❌ Image ',
          { strong: clip(event.data.image) },
          ' ',
          { code: clip(event.data.version) },
          ' failed',
          ...errorSuffix(event.data.error),
        ],
        facts: imageRepositories(event.data.repositories),
      };
    case 'upstream.pinned':
      return upstreamPinned(event.data);
    case 'webhook.endpoint-disabled':
      return {
        headline: [
          '🔕 Webhook endpoint ',
          { code: clip(event.data.endpointId) },
          event.data.reason === 'gone'
            ? ' was disabled: it answered 410 Gone'
            : ' was disabled: every delivery attempt failed for too long',
        ],
        facts: [
          { name: 'Detail', value: [clip(event.data.detail, maxMessageLength)] },
          ...(event.data.failingSince === undefined
            ? []
            : [{ name: 'Failing since', value: [event.data.failingSince] }]),
        ],
      };
    case 'webhook.ping':
      return {
        headline: [
          '👋 Test event for webhook endpoint ',
          { code: clip(event.data.endpointId) },
          ': azl-rebuilder events reach this channel',
        ],
        facts: [],
      };
  }
}

function imageRepositories(repositories: Readonly<Record<string, number>>): ChatFact[] {
  const named = Object.entries(repositories).map(([repository, revision]) => `${repository} r${revision}`);
  return named.length === 0 ? [] : [{ name: 'Built from', value: listWithMore(named) }];
}

function planCreated(data: EventData<'plan.created'>): Lines {
  const planned = data.planned.map((item) => item.component);
  return {
    headline: [
      '📋 Plan ',
      { code: clip(data.planId) },
      ` queued ${plural(planned.length, 'build')} from ${plural(data.messages, 'upstream message')}`,
    ],
    facts: [
      ...(planned.length === 0
        ? []
        : [
            {
              name: 'Components',
              value: listWithMore(planned, (component) => ({ strong: clip(component) })),
            },
          ]),
      { name: 'Skipped', value: [count(data.skipped)] },
      ...(data.cycles === 0 ? [] : [{ name: 'Build cycles', value: [count(data.cycles)] }]),
    ],
  };
}

function buildFailed(data: EventData<'build.failed'>): Lines {
  const cancelled = data.state === 'cancelled';
  return {
    headline: [
      cancelled ? '🚫 Build of ' : '❌ Build of ',
      { strong: clip(data.component) },
      cancelled ? ' was cancelled' : ' failed',
      ...errorSuffix(data.error),
    ],
    facts: buildFacts(data),
  };
}

function repoPublished(data: EventData<'repo.published'>): Lines {
  return {
    headline: [
      '📦 ',
      { strong: clip(data.repository) },
      ` published revision ${count(data.revision)}: ${count(data.added.length)} added, ${count(data.removed.length)} removed`,
    ],
    facts: [
      ...(data.added.length === 0 ? [] : [{ name: 'Added', value: listWithMore(data.added) }]),
      ...(data.removed.length === 0 ? [] : [{ name: 'Removed', value: listWithMore(data.removed) }]),
      { name: 'Base URL', value: [{ link: data.baseUrl, label: clip(data.baseUrl) }] },
    ],
  };
}

function upstreamPinned(data: EventData<'upstream.pinned'>): Lines {
  const upstream = data.upstreamNvr ?? data.upstreamCommit;
  return {
    headline: [
      '📌 ',
      { strong: clip(data.component) },
      ' is pinned to ',
      { code: clip(data.pin) },
      ...(upstream === undefined
        ? [' and did not follow upstream']
        : [': upstream ', { code: clip(upstream) }, ' was not followed']),
    ],
    facts: [{ name: 'Plan', value: [{ code: clip(data.planId) }] }],
  };
}

type BuildData = EventData<
  'build.started' | 'build.succeeded' | 'build.unchanged' | 'build.failed' | 'build.overlay-drift'
>;

/** ` (<code>): <message>`, the failure as the error catalogue names it. */
function errorSuffix(error: BuildData['error']): ChatLine {
  if (error === undefined) return [];
  const message = clip(error.message, maxMessageLength);
  return [' (', { code: clip(error.code) }, ')', ...(message === '' ? [] : [`: ${message}`])];
}

function sentTo(repositories: readonly string[] | undefined): ChatLine {
  if (repositories === undefined || repositories.length === 0) return [];
  if (repositories.length === 1) return [' for ', { code: clip(repositories[0] ?? '') }];
  return [` for ${plural(repositories.length, 'repository', 'repositories')}`];
}

function repositoriesFact(repositories: readonly string[] | undefined): ChatFact[] {
  if (repositories === undefined || repositories.length === 0) return [];
  return [{ name: 'Repositories', value: listWithMore(repositories) }];
}

/** The build's identity: which try, in which plan, under which id. */
function buildFacts(data: BuildData): ChatFact[] {
  return [
    { name: 'Attempt', value: [count(data.attempt)] },
    { name: 'Build', value: [{ code: clip(data.buildId) }] },
    { name: 'Plan', value: [{ code: clip(data.planId) }] },
  ];
}
