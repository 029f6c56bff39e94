import { badge, el, empty, fill, table } from './dom.js';
import { between, duration, reasonText, when } from './format.js';
import type { Snapshot } from './snapshot.js';
import type { BuildRecord, BuildSummary, Health, PlanStatus } from './status-types.js';

/** Each section of the page from its data; each replaces its section's content whole. */

export function renderHealth(health: Health): void {
  fill(
    'health',
    el(
      'ul',
      { class: 'dependencies' },
      health.dependencies.map((d) =>
        el(
          'li',
          { class: `dependency state-${d.state}` },
          el('span', { class: 'dependency-name' }, d.name),
          ' ',
          badge(d.state),
          el('span', { class: 'detail' }, ` ${d.detail} (${d.latencyMs} ms)`),
        ),
      ),
    ),
    el('p', { class: 'checked' }, `checked ${when(health.checkedAt)}`),
  );
}

export function renderEvents(snapshot: Snapshot): void {
  const counts = countBy(snapshot.events.map((e) => e.outcome));
  fill(
    'events',
    summaryLine(counts),
    snapshot.events.length === 0
      ? empty('No event yet.')
      : table(
          'Events, newest first',
          ['received', 'outcome', 'message', 'topic / kind', 'packages', 'source', 'reason'],
          snapshot.events.map((e) => [
            when(e.receivedAt ?? e.sentAt),
            badge(e.outcome),
            el('code', {}, e.messageId ?? '(no id)'),
            e.kind ?? e.topic ?? '—',
            e.packages?.join(', ') || '—',
            e.source ?? '—',
            e.reason ? `${e.reason}${e.path ? ` (at ${e.path})` : ''}` : '',
          ]),
        ),
  );
}

export function renderPlans(snapshot: Snapshot): void {
  fill(
    'plans',
    el('p', { class: 'summary' }, `${snapshot.planCount} recent plan(s); the newest that rebuild something:`),
    snapshot.plans.length === 0 ? empty('No plan has rebuilt anything yet.') : snapshot.plans.map(planView),
  );
}

function planView(plan: PlanStatus): HTMLElement {
  return el(
    'article',
    { class: 'plan' },
    el('h3', {}, 'Plan ', el('code', {}, plan.planId)),
    el(
      'p',
      { class: 'summary' },
      `${when(plan.createdAt)} · ${plan.messageCount} message(s) · ${plan.plannedCount} planned · ` +
        `${plan.skippedCount} skipped · ${plan.waveCount} wave(s)` +
        (plan.cycleCount ? ` · ${plan.cycleCount} cycle(s) broken` : ''),
    ),
    el(
      'ul',
      { class: 'plan-items' },
      plan.items.items.map((item) =>
        el(
          'li',
          {},
          el('strong', {}, item.component),
          ` wave ${item.wave}, priority ${item.priority}`,
          el(
            'ul',
            { class: 'reasons', 'aria-label': `why ${item.component} is rebuilt` },
            item.reasons.map((reason) => el('li', { class: 'reason' }, reasonText(reason, item.component))),
            item.reasonCount > item.reasons.length
              ? el('li', {}, `… and at least ${item.reasonCount - item.reasons.length} more reason(s)`)
              : null,
          ),
        ),
      ),
    ),
  );
}

export function renderBuilds(snapshot: Snapshot): void {
  const counts = countBy(snapshot.builds.map((b) => b.state));
  const failed = snapshot.builds
    .map((b) => snapshot.buildRecords.get(b.buildId))
    .filter(
      (r): r is BuildRecord => r !== undefined && (r.error !== undefined || r.logExcerpt !== undefined),
    );
  fill(
    'builds',
    summaryLine(counts),
    snapshot.builds.length === 0
      ? empty('No build yet.')
      : table(
          'Builds, newest first',
          ['component', 'state', 'build', 'wave', 'attempts', 'build time', 'request → done', 'updated'],
          snapshot.builds.map((b) => buildRow(b, snapshot.buildRecords.get(b.buildId))),
        ),
    failed.length === 0
      ? null
      : el(
          'div',
          { class: 'failures' },
          el('h3', {}, 'Failures'),
          failed.map((r) =>
            el(
              'details',
              { class: 'failure' },
              el(
                'summary',
                {},
                el('strong', {}, r.component),
                ` ${r.state}`,
                r.error ? `: ${r.error.code} ${r.error.message}` : '',
              ),
              r.logExcerpt ? el('pre', { class: 'log' }, r.logExcerpt) : empty('No log excerpt.'),
            ),
          ),
        ),
  );
}

function buildRow(build: BuildSummary, record: BuildRecord | undefined): (string | number | Node)[] {
  const finished = ['succeeded', 'failed', 'overlay-drift', 'unchanged', 'superseded', 'cancelled'];
  return [
    build.component,
    badge(build.state),
    el('code', {}, build.buildId),
    build.wave,
    build.attempts,
    duration(record?.durationMs),
    finished.includes(build.state) ? duration(between(build.requestedAt, build.updatedAt)) : '…',
    when(build.updatedAt),
  ];
}

export function renderRepositories(snapshot: Snapshot): void {
  fill(
    'repositories',
    snapshot.repositories.length === 0
      ? empty('Nothing published yet.')
      : el(
          'ul',
          { class: 'repositories' },
          snapshot.repositories.map((r) =>
            el(
              'li',
              { class: 'repository' },
              el('h3', {}, r.repository),
              el(
                'p',
                { class: 'summary' },
                `revision ${r.revision} · ${r.packageCount} package(s) · published ${when(r.lastPublishedAt)}`,
              ),
              r.dnf
                ? el(
                    'pre',
                    { class: 'dnf', 'aria-label': `dnf command for ${r.repository}` },
                    el('code', {}, r.dnf),
                  )
                : null,
            ),
          ),
        ),
  );
}

export function renderFailures(snapshot: Snapshot): void {
  fill(
    'dead-letters',
    snapshot.failures.length === 0
      ? empty('No message has failed.')
      : table(
          'Failed and dead-lettered messages, newest first',
          ['at', 'queue', 'message', 'code', 'retryable', 'deliveries', 'message text'],
          snapshot.failures.map((f) => [
            when(f.at),
            f.entity,
            el('code', {}, f.messageId),
            el('code', {}, f.code),
            f.retryable ? 'yes' : 'no',
            f.deliveryCount,
            f.message,
          ]),
        ),
  );
}

function countBy(values: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  return counts;
}

function summaryLine(counts: ReadonlyMap<string, number>): HTMLElement {
  return el(
    'p',
    { class: 'counts' },
    [...counts].map(([state, count]) => el('span', { class: 'count' }, badge(state), ` ${count}`)),
  );
}
