import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterEach, beforeAll, expect, test } from 'vitest';
import type { DemoSummary } from '../../hosts/local/demo/run-demo';
import { recordPageErrors, useChromium } from '../../testing/browser/chromium';
import { useStartedPipeline } from '../../testing/pipeline/started-pipeline';
import { testOutputDir } from '../../testing/test-output';

/**
 * The dashboard in headless Chromium against `azl-rebuilder start` after its demo (one pipeline for the
 * file): what the page shows, how it treats the key, how it reports a wrong key, a pipeline that stops
 * answering and a storage outage, and that it recovers by itself.
 */
const pipeline = useStartedPipeline('azl-dashboard-', []);
const browser = useChromium();
const output = testOutputDir('dashboard');
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  const file = join(pipeline.dataDir, 'demo-summary.json');
  const deadline = Date.now() + 240_000;
  while (!existsSync(file)) {
    if (Date.now() > deadline) throw new Error(`no demo summary:\n${pipeline.run.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  const summary = JSON.parse(readFileSync(file, 'utf8')) as DemoSummary;
  expect(summary.settled, pipeline.run.output()).toBe(true);
}, 300_000);

afterEach(async () => {
  for (const context of contexts.splice(0)) await context.close();
});

async function openPage(width = 1280): Promise<Page> {
  const context = await browser().newContext({ viewport: { width, height: 900 } });
  contexts.push(context);
  return context.newPage();
}

/** The page's refresh period (dashboard/src/main.ts `REFRESH_MS`). */
const REFRESH_MS = 10_000;

const texts = (page: Page, selector: string): Promise<string[]> =>
  page.locator(selector).evaluateAll((nodes) => nodes.map((n) => (n.textContent ?? '').trim()));

/** Waits until the page shows the demo's results (the four builds and both repositories). */
async function demoShown(page: Page): Promise<void> {
  await page.locator('#builds tbody tr').nth(3).waitFor({ timeout: 30_000 });
  await page.locator('#repositories pre.dnf').nth(1).waitFor({ timeout: 30_000 });
}

test('the dashboard shows the demo: healthy dependencies, events, the plan with its reasons, builds, repositories', async () => {
  const page = await openPage();
  const errors = recordPageErrors(page);
  const requested: string[] = [];
  page.on('request', (request) => requested.push(request.url()));
  const { dashboardUrl, functionKey, httpBaseUrl } = pipeline.endpoints;
  expect(dashboardUrl).toBe(`${httpBaseUrl}/dashboard#key=${encodeURIComponent(functionKey)}`);
  expect(pipeline.run.output()).toContain(`dashboard: ${dashboardUrl}`);

  await page.goto(dashboardUrl);
  await demoShown(page);

  // The key left the address bar for session storage, and no request carried it in its URL.
  expect(page.url()).toBe(`${httpBaseUrl}/dashboard`);
  expect(await page.evaluate('Object.values(sessionStorage)')).toEqual([functionKey]);
  expect(requested.filter((url) => url.includes(functionKey))).toEqual([]);

  const health = await texts(page, '#health li.dependency');
  expect(health.map((line) => line.split(/\s+/).slice(0, 2).join(' ')).sort()).toEqual([
    'serviceBus healthy',
    'storage healthy',
  ]);

  const outcomes = await texts(page, '#events tbody tr td:nth-child(2)');
  expect(outcomes.sort()).toEqual([
    'accepted',
    'accepted',
    'accepted',
    'accepted',
    'accepted',
    'accepted',
    'duplicate',
    'rejected',
  ]);

  const planned = await texts(page, '#plans .plan-items > li > strong');
  expect(planned.sort()).toEqual(['azl-filesystem', 'azl-greeter', 'azl-hello-lib', 'azl-hello-tool']);
  const reasons = await texts(page, '#plans .reason');
  expect(
    reasons.some((r) => /azl-hello-lib .* changed azl-hello-lib itself/.test(r)),
    reasons.join('\n'),
  ).toBe(true);

  const builds = await page
    .locator('#builds tbody tr')
    .evaluateAll((rows) =>
      rows.map((row) => [...row.querySelectorAll('td')].slice(0, 2).map((td) => td.textContent)),
    );
  expect(builds.sort()).toEqual([
    ['azl-filesystem', 'succeeded'],
    ['azl-greeter', 'succeeded'],
    ['azl-hello-lib', 'succeeded'],
    ['azl-hello-tool', 'succeeded'],
  ]);
  // The chart's text alternative: the four builds, in however many minutes they finished.
  const chart = (await page.locator('#build-chart').getAttribute('aria-label')) ?? '';
  const charted = [...chart.matchAll(/(\d+) succeeded, 0 failed, median [\d.]+ s/g)];
  expect(
    charted.reduce((sum, m) => sum + Number(m[1]), 0),
    chart,
  ).toBe(4);

  expect(await texts(page, '#repositories h3')).toEqual(['base/srpms', 'base/x86_64']);
  const dnf = await texts(page, '#repositories pre.dnf');
  expect(dnf).toEqual([
    expect.stringMatching(
      /^dnf --repofrompath=azl,http:\/\/127\.0\.0\.1:\d+\/devstoreaccount1\/repos\/base\/srpms\/ .* repoquery$/,
    ),
    expect.stringMatching(
      /^dnf --repofrompath=azl,http:\/\/127\.0\.0\.1:\d+\/devstoreaccount1\/repos\/base\/x86_64\/ .* repoquery$/,
    ),
  ]);
  expect(await page.locator('#message').isHidden()).toBe(true);

  const screenshot = join(output, 'dashboard.png');
  await page.screenshot({ path: screenshot, fullPage: true });
  console.log(`dashboard screenshot: ${screenshot}`);
  expect(errors).toEqual([]);
}, 90_000);

test('on a narrow window nothing overflows sideways, and the keyboard reaches the skip link and the buttons', async () => {
  const page = await openPage(380);
  const errors = recordPageErrors(page);
  await page.goto(pipeline.endpoints.dashboardUrl);
  await demoShown(page);
  expect(await page.evaluate('document.documentElement.scrollWidth <= window.innerWidth')).toBe(true);

  await page.keyboard.press('Tab');
  expect(await page.evaluate('document.activeElement?.textContent')).toBe('Skip to the status');
  const focused: string[] = [];
  for (let i = 0; i < 9; i++) {
    await page.keyboard.press('Tab');
    focused.push(
      await page.evaluate<string>(
        '`${document.activeElement?.tagName} ${document.activeElement?.textContent}`',
      ),
    );
  }
  expect(focused).toContain('BUTTON Refresh now');
  expect(focused).toContain('A Builds');

  const screenshot = join(output, 'dashboard-narrow.png');
  await page.screenshot({ path: screenshot, fullPage: true });
  console.log(`narrow dashboard screenshot: ${screenshot}`);
  expect(errors).toEqual([]);
}, 90_000);

test('a wrong key says so and asks for the key; the right one entered there shows the pipeline', async () => {
  const page = await openPage();
  await page.goto(`${pipeline.endpoints.httpBaseUrl}/#key=not-the-key`);
  const message = page.locator('#message');
  await message.waitFor({ timeout: 30_000 });
  expect(await message.textContent()).toContain('The function key was not accepted');
  expect(await page.locator('#key-form').isVisible()).toBe(true);
  await page.screenshot({ path: join(output, 'dashboard-wrong-key.png'), fullPage: true });

  await page.locator('#key-input').fill(pipeline.endpoints.functionKey);
  await page.locator('#key-input').press('Enter');
  await demoShown(page);
  await message.waitFor({ state: 'hidden' });
  expect(await page.locator('#key-form').isHidden()).toBe(true);
}, 90_000);

test('a pipeline that stops answering, then storage that is down, are reported; the page recovers by itself', async () => {
  const page = await openPage();
  // The page's clock runs as the real one, except when the test moves it a refresh period on: the page's own
  // timer then fires at once instead of 10 s later.
  await page.clock.install();
  const nextTimedRefresh = () => page.clock.fastForward(REFRESH_MS);
  await page.goto(pipeline.endpoints.dashboardUrl);
  await demoShown(page);
  const message = page.locator('#message');

  // The outages start with a refresh asked for (the button); the recoveries come from the page's own timer.
  const refreshNow = () => page.getByRole('button', { name: 'Refresh now' }).click();

  // No answer at all from the host (as when the pipeline is stopped).
  await page.route('**/api/**', (route) => route.abort('connectionrefused'));
  await refreshNow();
  await message.waitFor({ timeout: 30_000 });
  expect(await message.textContent()).toContain('The pipeline is not answering');
  await page.unroute('**/api/**');
  await nextTimedRefresh();
  await message.waitFor({ state: 'hidden', timeout: 30_000 });

  // Storage down: health and the status API answer as they do then (503s naming storage).
  await page.route('**/api/**', (route) => {
    const health = new URL(route.request().url()).pathname === '/api/health';
    return route.fulfill({
      status: 503,
      contentType: 'application/json',
      body: JSON.stringify(
        health
          ? {
              status: 'unhealthy',
              checkedAt: new Date().toISOString(),
              dependencies: [
                { name: 'storage', state: 'unhealthy', detail: 'connect ECONNREFUSED', latencyMs: 3 },
              ],
            }
          : { code: 'storage.unavailable', message: 'storage is unreachable' },
      ),
    });
  });
  await refreshNow();
  await page.getByText('storage or another dependency is unreachable').waitFor({ timeout: 30_000 });
  expect(await message.textContent()).toContain('storage: connect ECONNREFUSED');
  expect(await texts(page, '#health li.dependency')).toEqual([expect.stringMatching(/^storage\s+unhealthy/)]);
  await page.unroute('**/api/**');
  await nextTimedRefresh();
  await message.waitFor({ state: 'hidden', timeout: 30_000 });
  expect((await texts(page, '#health li.dependency')).length).toBe(2);
}, 120_000);
