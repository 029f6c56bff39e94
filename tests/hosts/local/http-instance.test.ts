import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import type { AddressInfo, Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, expect, test } from 'vitest';
import type { RunningHttpInstance } from '../../../hosts/local/runtime/http-instance';
import { startHttpInstance } from '../../../hosts/local/runtime/http-instance';
import type { HttpInstanceData } from '../../../hosts/local/runtime/http-instance-protocol';
import { projectRoot } from '../../../infra/os/project-paths';
import type { LogFields, Logger } from '../../../shared/logger';

/**
 * The local runtime's HTTP instance: the app's HTTP functions in a worker thread of their own. The real
 * worker is the compiled one (`npm test` builds first); the restart test uses a stand-in worker script that
 * speaks the same protocol and can be made to crash.
 */
const compiledWorker = join(projectRoot(), 'dist', 'hosts', 'local', 'runtime', 'http-instance-worker.js');

/** Settings the services accept; nothing listens on these ports, and the routes asked for need neither. */
const data = (port: number): HttpInstanceData => ({
  settings: {
    AzureWebJobsStorage:
      'DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=a2V5PT0=;' +
      'BlobEndpoint=http://127.0.0.1:9/devstoreaccount1;TableEndpoint=http://127.0.0.1:9/devstoreaccount1;',
    ServiceBusConnection: 'Endpoint=sb://127.0.0.1:9/;SharedAccessKeyName=k;SharedAccessKey=a2V5',
  },
  http: { port, functionKey: 'the-key' },
  telemetry: {},
});

interface LogLine {
  readonly level: string;
  readonly message: string;
  readonly fields: LogFields;
}
const recordingLogger = (lines: LogLine[], bindings: LogFields = {}): Logger => {
  const write = (level: string) => (message: string, fields?: LogFields) =>
    void lines.push({ level, message, fields: { ...bindings, ...fields } });
  return {
    debug: write('debug'),
    info: write('info'),
    warn: write('warn'),
    error: write('error'),
    child: (more) => recordingLogger(lines, { ...bindings, ...more }),
  };
};

let work: string;
let instance: RunningHttpInstance | undefined;

beforeAll(() => {
  if (!existsSync(compiledWorker)) throw new Error('dist/ is missing: run `npm run build` first');
  work = mkdtempSync(join(tmpdir(), 'azl-http-instance-'));
});
afterEach(async () => {
  await instance?.stop();
  instance = undefined;
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

/**
 * A GET from another process while this thread's event loop is blocked (spawnSync blocks it): only a server
 * on another thread can answer it.
 */
function getWhileThisThreadIsBlocked(url: string): { status: number | null; stdout: string } {
  const script =
    'fetch(process.argv[1], { headers: { "x-functions-key": "the-key" } })' +
    '.then(async (r) => { process.stdout.write(r.status + " " + (await r.text())); })' +
    '.catch((e) => { process.stdout.write("failed " + e.message); process.exit(1); })';
  const child = spawnSync(process.execPath, ['-e', script, url], { timeout: 30_000, encoding: 'utf8' });
  return { status: child.status, stdout: child.stdout };
}

test('serves the HTTP functions from its own thread, logs through the runtime, and closes the port on stop', async () => {
  const lines: LogLine[] = [];
  instance = await startHttpInstance({
    data: data(0),
    logger: recordingLogger(lines),
    workerScript: compiledWorker,
  });
  expect(instance.url).toBe(`http://127.0.0.1:${instance.port}`);

  const answer = getWhileThisThreadIsBlocked(`${instance.url}/api/webhooks/event-types`);
  expect(answer.status).toBe(0);
  expect(answer.stdout).toMatch(/^200 /);
  expect(JSON.parse(answer.stdout.slice(4))).toMatchObject({ specversion: '1.0' });

  const listening = lines.find((l) => l.message === 'http host listening');
  expect(listening?.fields).toMatchObject({ instance: 'http', url: instance.url });
  // Only HTTP functions: the Service Bus and timer functions stay with the runtime's own thread.
  expect(listening?.fields['functions']).toContain('health');
  expect(listening?.fields['functions']).not.toContain('plan');

  const { url } = instance;
  await instance.stop();
  instance = undefined;
  await expect(fetch(`${url}/api/health`)).rejects.toThrow();
});

test('a port that is taken rejects the start with host.port-in-use, across the thread boundary', async () => {
  const blocker: Server = createServer();
  await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
  try {
    const { port } = blocker.address() as AddressInfo;
    await expect(
      startHttpInstance({ data: data(port), logger: recordingLogger([]), workerScript: compiledWorker }),
    ).rejects.toMatchObject({ code: 'host.port-in-use', context: { port } });
  } finally {
    await new Promise((resolve) => blocker.close(resolve));
  }
});

test('an instance that dies is started again on the same port', async () => {
  // A stand-in worker: serves its port, and throws (an uncaught exception ends the thread) on /crash.
  const script = join(work, 'crashing-worker.js');
  writeFileSync(
    script,
    `const { parentPort, workerData } = require('node:worker_threads');
const http = require('node:http');
const server = http.createServer((request, response) => {
  if (request.url === '/crash') setImmediate(() => { throw new Error('boom'); });
  response.end('up');
});
server.listen(workerData.http.port, '127.0.0.1', () => {
  parentPort.postMessage({ type: 'ready', url: 'http://127.0.0.1:' + server.address().port, port: server.address().port });
});
parentPort.on('message', () => server.close(() => parentPort.postMessage({ type: 'stopped' })));
`,
  );
  const lines: LogLine[] = [];
  instance = await startHttpInstance({
    data: data(0),
    logger: recordingLogger(lines),
    workerScript: script,
    restartDelayMs: () => 10,
  });
  expect(await (await fetch(`${instance.url}/`)).text()).toBe('up');

  await fetch(`${instance.url}/crash`).catch(() => undefined);
  const deadline = Date.now() + 20_000;
  while (instance.restarts() === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  expect(instance.restarts()).toBe(1);
  expect(await (await fetch(`${instance.url}/`)).text()).toBe('up');
  expect(lines.map((l) => l.message)).toContain('the HTTP instance exited unexpectedly; starting it again');
  expect(lines.find((l) => l.message === 'the HTTP instance failed')?.fields).toMatchObject({
    error: 'boom',
  });
});
