/**
 * The dashboard's entry: takes the function key (URL fragment or the key form), then refreshes every section
 * from `/api/health` and the status API every few seconds while the page is open. When the pipeline stops
 * answering, the key is refused or storage is down it says so in one alert and keeps trying, so the page
 * recovers by itself when the pipeline does.
 */
import { renderBuildChart } from './charts.js';
import { adoptKeyFromFragment, forgetKey, storedKey, storeKey } from './function-key.js';
import {
  renderBuilds,
  renderEvents,
  renderFailures,
  renderHealth,
  renderPlans,
  renderRepositories,
} from './render.js';
import { loadSnapshot } from './snapshot.js';
import { getHealth, StatusRequestError } from './status-client.js';
import type { Health } from './status-types.js';

/** Each refresh is eight list requests (plus new details), and the host logs every request: not too often. */
const REFRESH_MS = 10_000;
const REQUEST_TIMEOUT_MS = 15_000;

const byId = <T extends HTMLElement>(id: string): T => {
  const element = document.getElementById(id);
  if (!element) throw new Error(`the page has no #${id}`);
  return element as T;
};

const message = byId<HTMLDivElement>('message');
const updated = byId<HTMLParagraphElement>('updated');
const keyForm = byId<HTMLFormElement>('key-form');
const keyInput = byId<HTMLInputElement>('key-input');
const chartCanvas = byId<HTMLCanvasElement>('build-chart');

/** The one alert of the page; unchanged text is not re-announced by screen readers on every refresh. */
function say(text: string | undefined): void {
  document.body.dataset['problem'] = text ? 'yes' : 'no';
  if (!text) {
    message.hidden = true;
    message.textContent = '';
    return;
  }
  if (message.textContent !== text) message.textContent = text;
  message.hidden = false;
}

function askForKey(focus: boolean): void {
  keyForm.hidden = false;
  if (focus) keyInput.focus();
}

/** What to tell the user about a failed refresh, using the health report when there is one. */
function explain(error: unknown, health: Health | undefined): string {
  const retry = `The page tries again every ${REFRESH_MS / 1_000} s.`;
  if (!(error instanceof StatusRequestError)) return `The page failed: ${String(error)}. ${retry}`;
  switch (error.kind) {
    case 'unreachable':
      return `The pipeline is not answering (${error.message}): is it running? ${retry}`;
    case 'unauthorized':
      return 'The function key was not accepted. Enter the key that npm start prints (in Azure: az functionapp keys list).';
    case 'unavailable': {
      const down = health?.dependencies.filter((d) => d.state === 'unhealthy') ?? [];
      const which = down.length ? down.map((d) => `${d.name}: ${d.detail}`).join('; ') : error.message;
      return `The pipeline cannot read its status right now, storage or another dependency is unreachable (${which}). ${retry}`;
    }
    case 'failed':
      return `The status API failed: ${error.message}. ${retry}`;
  }
}

async function refresh(): Promise<void> {
  const signal = AbortSignal.timeout(REQUEST_TIMEOUT_MS);
  let health: Health | undefined;
  try {
    health = await getHealth(signal);
    renderHealth(health);
    const key = storedKey();
    if (!key) {
      askForKey(false);
      say('Enter the function key to see the pipeline: npm start prints the dashboard URL with it.');
      return;
    }
    const snapshot = await loadSnapshot(key, signal);
    renderEvents(snapshot);
    renderPlans(snapshot);
    renderBuilds(snapshot);
    renderRepositories(snapshot);
    renderFailures(snapshot);
    renderBuildChart(chartCanvas, snapshot.builds);
    keyForm.hidden = true;
    const unhealthy = health.dependencies.filter((d) => d.state === 'unhealthy');
    say(
      unhealthy.length
        ? `Unhealthy: ${unhealthy.map((d) => `${d.name} (${d.detail})`).join('; ')}`
        : undefined,
    );
    updated.textContent = `Updated ${new Date().toLocaleTimeString()}, refreshes every ${REFRESH_MS / 1_000} s`;
  } catch (error) {
    if (error instanceof StatusRequestError && error.kind === 'unauthorized') askForKey(false);
    say(explain(error, health));
    updated.textContent = `Last attempt ${new Date().toLocaleTimeString()} failed; retrying`;
  }
}

let timer: number | undefined;
let running = false;

/** One refresh, then the next one scheduled; never two at once. Skipped while the tab is hidden. */
async function cycle(): Promise<void> {
  if (running) return;
  window.clearTimeout(timer);
  running = true;
  try {
    if (!document.hidden) await refresh();
  } finally {
    running = false;
    timer = window.setTimeout(() => void cycle(), REFRESH_MS);
  }
}

keyForm.addEventListener('submit', (event) => {
  event.preventDefault();
  const key = keyInput.value.trim();
  keyInput.value = '';
  if (key) storeKey(key);
  void cycle();
});
byId<HTMLButtonElement>('forget-key').addEventListener('click', () => {
  forgetKey();
  askForKey(true);
});
byId<HTMLButtonElement>('change-key').addEventListener('click', () => askForKey(true));
byId<HTMLButtonElement>('refresh').addEventListener('click', () => void cycle());
document.addEventListener('visibilitychange', () => {
  if (!document.hidden) void cycle();
});
window.addEventListener('hashchange', () => {
  if (adoptKeyFromFragment()) void cycle();
});

adoptKeyFromFragment();
void cycle();
