import { existsSync } from 'node:fs';
import { chromium } from 'playwright-core';
import type { Browser, ConsoleMessage, Page } from 'playwright-core';
import { useStarted } from '../lifecycle';

/**
 * Debian's Chromium (`scripts/setup.sh` installs the `chromium` package), driven by playwright-core: no
 * browser download. `AZL_CHROMIUM` points elsewhere.
 */
export const chromiumPath = (): string => process.env['AZL_CHROMIUM'] ?? '/usr/bin/chromium';

/** Headless Chromium; as root (a container, CI) without its sandbox, which refuses to run as root. */
export async function launchChromium(): Promise<Browser> {
  const executablePath = chromiumPath();
  if (!existsSync(executablePath))
    throw new Error(
      `no Chromium at ${executablePath}: run scripts/setup.sh (Debian's chromium) or set AZL_CHROMIUM`,
    );
  const asRoot = process.getuid?.() === 0;
  return chromium.launch({ executablePath, headless: true, args: asRoot ? ['--no-sandbox'] : [] });
}

/** One headless Chromium for the tests of a block, closed after them. */
export function useChromium(): () => Browser {
  return useStarted('Chromium', launchChromium, (browser) => browser.close(), { startMs: 60_000 });
}

/**
 * Everything a page reports as an error: console errors (including the ones Chromium logs for failed
 * requests) and uncaught exceptions, as lines, from now on.
 */
export function recordPageErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (message: ConsoleMessage) => {
    if (message.type() === 'error') errors.push(`console: ${message.text()} (${message.location().url})`);
  });
  page.on('pageerror', (error) => errors.push(`uncaught: ${error.message}`));
  return errors;
}
