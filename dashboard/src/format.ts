import type { Reason } from './status-types.js';

/** `14:03:07` (the viewer's locale and time zone), or `—` when unknown. */
export function time(iso: string | undefined): string {
  if (!iso) return '—';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleTimeString();
}

/** `2026-12-06 14:03:07` for older entries, time only for today. */
export function when(iso: string | undefined): string {
  if (!iso) return '—';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return date.toDateString() === new Date().toDateString()
    ? date.toLocaleTimeString()
    : `${date.toLocaleDateString()} ${date.toLocaleTimeString()}`;
}

/** `850 ms`, `12.3 s`, `4 min 05 s`, `2 h 03 min`. */
export function duration(ms: number | undefined): string {
  if (ms === undefined || !Number.isFinite(ms)) return '—';
  if (ms < 1_000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1_000).toFixed(1)} s`;
  const seconds = Math.round(ms / 1_000);
  if (seconds < 3_600) return `${Math.floor(seconds / 60)} min ${String(seconds % 60).padStart(2, '0')} s`;
  const minutes = Math.round(seconds / 60);
  return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, '0')} min`;
}

/** The milliseconds between two timestamps, undefined when either is missing. */
export function between(from: string | undefined, to: string | undefined): number | undefined {
  if (!from || !to) return undefined;
  const ms = Date.parse(to) - Date.parse(from);
  return Number.isFinite(ms) ? ms : undefined;
}

/**
 * Why a component is rebuilt, in one line: the Fedora change (package, build, message kind) and, for a
 * dependent, the BuildRequires path from the changed component and the ABI-relevant provides that changed.
 */
export function reasonText(reason: Reason, item: string): string {
  const build = reason.nvr ? `${reason.package} ${reason.nvr}` : reason.package;
  const change = `${reason.kind}: ${build} (message ${reason.messageId})`;
  if (!reason.path || reason.path.length === 0) {
    return reason.component === item
      ? `${change} changed ${item} itself`
      : `${change} changed ${reason.component}`;
  }
  const hops = reason.path.map((hop) => `${hop.from} provides ${hop.buildRequire}`).join(' → ');
  const provides = reason.changedProvides?.length ? `; ABI changed: ${reason.changedProvides.join(' ')}` : '';
  return `${change} changed ${reason.component}; build requires: ${hops} → ${item}${provides}`;
}
