import { PipelineError } from '../../errors';

/**
 * A catch-up window: the whole seconds `from`..`to` (UNIX epoch seconds), both inclusive, exactly as
 * datagrepper's `start`/`end` are (`BETWEEN`). datagrepper stores each message under the publisher's `sent-at`
 * at 1-second resolution (research §3.4), so windows that tile integer seconds without overlap cover every
 * stored message exactly once, and the smallest window is one second.
 */
export interface TimeWindow {
  readonly from: number;
  readonly to: number;
}

export function timeWindow(from: number, to: number): TimeWindow {
  if (!Number.isSafeInteger(from) || !Number.isSafeInteger(to) || from < 0 || from > to) {
    throw PipelineError.permanent(
      'catch-up.invalid-window',
      `not a window of whole seconds: ${from}..${to}`,
      {
        from,
        to,
      },
    );
  }
  return { from, to };
}

/** How many seconds the window covers. */
export function spanOf(window: TimeWindow): number {
  return window.to - window.from + 1;
}

/** `from`..`to` cut into consecutive windows of at most `size` seconds, in time order. */
export function tileWindows(from: number, to: number, size: number): TimeWindow[] {
  const windows: TimeWindow[] = [];
  for (let start = from; start <= to; start += size) {
    windows.push(timeWindow(start, Math.min(to, start + size - 1)));
  }
  return windows;
}

/**
 * A window that datagrepper says holds `total` rows, more than `maxRows`, cut into consecutive parts that
 * should each hold about half of `maxRows` if the rows were spread evenly (so an uneven spread rarely needs a
 * second cut). A one-second window cannot be cut: it comes back whole, to be read page by page.
 */
export function splitWindow(window: TimeWindow, total: number, maxRows: number): TimeWindow[] {
  const span = spanOf(window);
  if (span === 1) return [window];
  const wanted = Math.max(2, Math.ceil((2 * total) / maxRows));
  const parts = Math.min(span, wanted);
  return tileWindows(window.from, window.to, Math.ceil(span / parts));
}

/** For logs and error context: `2025-11-17T14:42:02Z..2025-11-17T14:52:01Z`. */
export function describeWindow(window: TimeWindow): string {
  return `${isoSecond(window.from)}..${isoSecond(window.to)}`;
}

export function isoSecond(epochSeconds: number): string {
  return new Date(epochSeconds * 1000).toISOString().replace('.000Z', 'Z');
}
