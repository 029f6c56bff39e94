import type { Chart as ChartClass } from 'chart.js';
import { between } from './format.js';
import type { BuildSummary } from './status-types.js';

declare global {
  interface Window {
    /** chart.js's UMD build (`/api/dashboard/chart.umd.min.js`), loaded before this module. */
    Chart?: typeof ChartClass;
  }
}

const FINISHED_OK = new Set(['succeeded', 'unchanged']);
const FINISHED_BAD = new Set(['failed', 'overlay-drift', 'cancelled']);

export interface MinuteBucket {
  readonly label: string;
  readonly succeeded: number;
  readonly failed: number;
  /** Median time from a build's request to its final state, in seconds; null with no finished build. */
  readonly latencySeconds: number | null;
}

/** Finished builds per minute (by the time they reached their final state), oldest first. */
export function minuteBuckets(builds: readonly BuildSummary[]): MinuteBucket[] {
  const byMinute = new Map<number, { ok: number; bad: number; latencies: number[] }>();
  for (const build of builds) {
    const ok = FINISHED_OK.has(build.state);
    if (!ok && !FINISHED_BAD.has(build.state)) continue;
    const at = Date.parse(build.updatedAt);
    if (!Number.isFinite(at)) continue;
    const minute = Math.floor(at / 60_000) * 60_000;
    const bucket = byMinute.get(minute) ?? { ok: 0, bad: 0, latencies: [] };
    if (ok) bucket.ok++;
    else bucket.bad++;
    const latency = between(build.requestedAt, build.updatedAt);
    if (latency !== undefined) bucket.latencies.push(latency / 1_000);
    byMinute.set(minute, bucket);
  }
  return [...byMinute]
    .sort(([a], [b]) => a - b)
    .map(([minute, b]) => ({
      label: new Date(minute).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' }),
      succeeded: b.ok,
      failed: b.bad,
      latencySeconds: median(b.latencies),
    }));
}

function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const value = sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
  return Math.round(value * 10) / 10;
}

let chart: ChartClass | undefined;

/**
 * The builds-and-latency chart: bars of builds finished per minute (succeeded, failed), a line of the median
 * request-to-done latency. Created once and updated in place on each refresh; the canvas's label carries the
 * same numbers as text for screen readers.
 */
export function renderBuildChart(canvas: HTMLCanvasElement, builds: readonly BuildSummary[]): void {
  const buckets = minuteBuckets(builds);
  canvas.setAttribute(
    'aria-label',
    buckets.length === 0
      ? 'No finished build yet.'
      : `Builds finished per minute: ${buckets
          .map(
            (b) =>
              `${b.label}: ${b.succeeded} succeeded, ${b.failed} failed, median ${b.latencySeconds ?? '—'} s`,
          )
          .join('; ')}`,
  );
  const Chart = window.Chart;
  if (!Chart) return;
  const data = {
    labels: buckets.map((b) => b.label),
    datasets: [
      {
        type: 'bar' as const,
        label: 'succeeded',
        data: buckets.map((b) => b.succeeded),
        backgroundColor: '#2e7d32',
        stack: 'builds',
        yAxisID: 'builds',
        maxBarThickness: 48,
      },
      {
        type: 'bar' as const,
        label: 'failed',
        data: buckets.map((b) => b.failed),
        backgroundColor: '#c62828',
        stack: 'builds',
        yAxisID: 'builds',
        maxBarThickness: 48,
      },
      {
        type: 'line' as const,
        label: 'median request → done (s)',
        data: buckets.map((b) => b.latencySeconds),
        borderColor: '#1565c0',
        backgroundColor: '#1565c0',
        yAxisID: 'latency',
        spanGaps: true,
        pointRadius: 4,
      },
    ],
  };
  if (chart) {
    chart.data = data;
    chart.update('none');
    return;
  }
  chart = new Chart(canvas, {
    type: 'bar',
    data,
    options: {
      animation: false,
      responsive: true,
      maintainAspectRatio: false,
      scales: {
        builds: {
          type: 'linear',
          position: 'left',
          beginAtZero: true,
          stacked: true,
          ticks: { precision: 0 },
          title: { display: true, text: 'builds' },
        },
        latency: {
          type: 'linear',
          position: 'right',
          beginAtZero: true,
          grid: { drawOnChartArea: false },
          title: { display: true, text: 'seconds' },
        },
        x: { stacked: true },
      },
    },
  });
}
