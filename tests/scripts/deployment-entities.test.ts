import { mkdtempSync, rmSync, writeFileSync, mkdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import {
  ruleProperties,
  deploymentEntityFiles,
  serviceBusEntities,
  SERVICE_BUS_FILE,
  staleDeploymentEntityFiles,
  storageEntities,
  STORAGE_FILE,
} from '../../scripts/deployment-entities';
import { allEntities, queues } from '../../shared/messaging/entities';
import { allContainers, allTables } from '../../shared/storage';

const root = join(__dirname, '..', '..');
const scratch = mkdtempSync(join(tmpdir(), 'azl-entities-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('the deployment entity files (bicep/generated/)', () => {
  test('are what the code defines today: run `npm run bicep:entities` when this fails', () => {
    expect(staleDeploymentEntityFiles(root)).toEqual([]);
  });

  test('a file that no longer matches the definitions is named', () => {
    for (const [path, text] of Object.entries(deploymentEntityFiles())) {
      mkdirSync(dirname(join(scratch, path)), { recursive: true });
      writeFileSync(join(scratch, path), text);
    }
    const edited = JSON.parse(readFileSync(join(scratch, SERVICE_BUS_FILE), 'utf8')) as {
      queues: { properties: { maxDeliveryCount: number } }[];
    };
    edited.queues[0]!.properties.maxDeliveryCount += 1;
    writeFileSync(join(scratch, SERVICE_BUS_FILE), `${JSON.stringify(edited, null, 2)}\n`);

    expect(staleDeploymentEntityFiles(scratch)).toEqual([SERVICE_BUS_FILE]);
  });

  test('hold every queue, topic and subscription with ARM durations, and every table and container', () => {
    const bus = serviceBusEntities();
    const names = [...bus.queues.map((q) => q.name), ...bus.topics.map((t) => t.name)];
    expect(names.sort()).toEqual(allEntities.map((e) => e.name).sort());
    const builds = bus.queues.find((q) => q.name === 'builds');
    expect(builds?.properties).toMatchObject({
      lockDuration: 'PT5M',
      requiresSession: true,
      requiresDuplicateDetection: true,
      duplicateDetectionHistoryTimeWindow: 'P1D',
      defaultMessageTimeToLive: 'P14D',
    });
    const events = bus.topics.find((t) => t.name === 'events');
    expect(events?.subscriptions.map((s) => s.name)).toEqual(['webhooks', 'event-grid', 'images']);
    expect(events?.subscriptions.find((s) => s.name === 'images')?.properties).toMatchObject({
      requiresSession: false,
      maxDeliveryCount: 10,
    });
    const imageBuilds = bus.queues.find((q) => q.name === 'image-builds');
    expect(imageBuilds?.properties).toMatchObject({
      lockDuration: 'PT5M',
      maxDeliveryCount: 5,
      requiresSession: true,
      requiresDuplicateDetection: true,
      duplicateDetectionHistoryTimeWindow: 'P1D',
    });
    expect(events?.properties.duplicateDetectionHistoryTimeWindow).toBe('PT1H');

    const storage = storageEntities();
    expect(storage.tables.map((t) => t.name)).toEqual(allTables.map((t) => t.name));
    expect(storage.containers.map((c) => c.name)).toEqual(allContainers.map((c) => c.name));
    expect(storage.containers.filter((c) => c.publicAccess === 'Blob').map((c) => c.name)).toEqual([
      'repos',
      'images',
    ]);
    expect(Object.keys(deploymentEntityFiles()).sort()).toEqual([SERVICE_BUS_FILE, STORAGE_FILE].sort());
  });

  test("every queue and topic takes the Standard tier's 256 KB messages; another size fails generation", () => {
    expect(new Set(allEntities.map((e) => e.maxMessageSizeKilobytes))).toEqual(new Set([256]));
    const premiumSized = { ...queues.ingest, maxMessageSizeKilobytes: 1024 };
    expect(() => serviceBusEntities([premiumSized])).toThrow(/queue 'ingest' asks for 1024 KB/);
  });

  test('carry each subscription rule as ARM takes it: the images subscription lets in repo.published only', () => {
    const events = serviceBusEntities().topics.find((t) => t.name === 'events');
    const rules = Object.fromEntries(events!.subscriptions.map((s) => [s.name, s.rules]));
    expect(rules).toEqual({
      webhooks: [],
      'event-grid': [],
      images: [
        {
          name: '$Default',
          properties: { filterType: 'CorrelationFilter', correlationFilter: { label: 'repo.published' } },
        },
      ],
    });
    expect(
      ruleProperties({
        name: 'failures',
        filter: { sql: "type LIKE '%.failed'" },
        action: "SET severity = 'high'",
      }),
    ).toEqual({
      filterType: 'SqlFilter',
      sqlFilter: { sqlExpression: "type LIKE '%.failed'" },
      action: { sqlExpression: "SET severity = 'high'" },
    });
    expect(
      ruleProperties({
        name: 'mine',
        filter: { correlation: { correlationId: 'c', subject: 's', applicationProperties: { k: 'v' } } },
      }),
    ).toEqual({
      filterType: 'CorrelationFilter',
      correlationFilter: { correlationId: 'c', label: 's', properties: { k: 'v' } },
    });
  });
});
