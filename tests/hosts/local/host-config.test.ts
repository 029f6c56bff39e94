import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { PipelineError } from '../../../shared/errors';
import {
  HOST_DEFAULTS,
  parseHostConfig,
  parseTimeSpanMs,
  readHostConfig,
} from '../../../hosts/local/functions-host/host-config';
import { thrownPipelineError } from '../../../testing/failures';

const failure = (text: string): PipelineError =>
  thrownPipelineError(() => parseHostConfig(text), 'host_config.invalid');

const withServiceBus = (serviceBus: Record<string, unknown>): string =>
  JSON.stringify({ version: '2.0', extensions: { serviceBus } });

describe('parseTimeSpanMs', () => {
  it.each([
    ['00:30:00', 1_800_000],
    ['00:00:00.80', 800],
    ['00:00:01.5', 1_500],
    ['00:00:00.0000001', 0],
    ['1.02:03:04', ((24 + 2) * 60 + 3) * 60_000 + 4_000],
    [' 00:05:00 ', 300_000],
  ])('%j is %d ms', (text, ms) => expect(parseTimeSpanMs(text)).toBe(ms));

  it.each(['5m', '00:60:00', '24:00:00', '00:00:60', '0:0:0', '00:00:00.12345678', '-00:00:01', ''])(
    'rejects %j',
    (text) => expect(parseTimeSpanMs(text)).toBeUndefined(),
  );
});

describe('parseHostConfig', () => {
  it("reads the repository's host.json", () => {
    expect(readHostConfig(join(__dirname, '../../../host.json'))).toEqual({
      functionTimeoutMs: 2 * 3_600_000, // builds run up to 90 minutes
      serviceBus: {
        maxConcurrentCalls: 16,
        // Builds are one session per component, mostly of one message: a session that has nothing more is
        // let go after 100 ms rather than holding its worker idle, so the Functions default of 8 sessions at
        // once keeps the instance busy without 32 builds queueing for its CPU (issue 20's scale run).
        maxConcurrentSessions: 8,
        maxAutoLockRenewalDurationMs: 2 * 3_600_000, // a build keeps its message locked
        sessionIdleTimeoutMs: 100,
        autoCompleteMessages: true,
      },
    });
  });

  it('fills in the Functions host defaults for an empty host.json', () => {
    expect(parseHostConfig('{}')).toEqual({
      functionTimeoutMs: HOST_DEFAULTS.functionTimeoutMs,
      serviceBus: {
        maxConcurrentCalls: 16,
        maxConcurrentSessions: 8,
        maxAutoLockRenewalDurationMs: 300_000,
        sessionIdleTimeoutMs: 60_000,
        autoCompleteMessages: true,
      },
    });
  });

  it('takes the given values, "-1" as no timeout, and tryTimeout as the session idle default', () => {
    const config = parseHostConfig(
      JSON.stringify({
        functionTimeout: '-1',
        extensions: {
          serviceBus: {
            maxConcurrentCalls: 2,
            autoCompleteMessages: false,
            clientRetryOptions: { tryTimeout: '00:00:20' },
          },
        },
      }),
    );
    expect(config.functionTimeoutMs).toBeNull();
    expect(config.serviceBus).toMatchObject({
      maxConcurrentCalls: 2,
      autoCompleteMessages: false,
      sessionIdleTimeoutMs: 20_000,
    });
  });

  it.each([
    [
      withServiceBus({ maxConcurrentCalls: '16' }),
      'host.json extensions.serviceBus.maxConcurrentCalls: expected a number',
    ],
    [
      withServiceBus({ maxConcurrentSessions: 0 }),
      'extensions.serviceBus.maxConcurrentSessions: expected a number above 0',
    ],
    [
      withServiceBus({ maxConcurrentCalls: 1.5 }),
      'extensions.serviceBus.maxConcurrentCalls: expected a whole number',
    ],
    [
      withServiceBus({ maxAutoLockRenewalDuration: '5m' }),
      'extensions.serviceBus.maxAutoLockRenewalDuration: expected a time span "hh:mm:ss[.fff]", got "5m"',
    ],
    [
      withServiceBus({ autoCompleteMessages: 'yes' }),
      'extensions.serviceBus.autoCompleteMessages: expected true or false',
    ],
    [
      withServiceBus({ clientRetryOptions: { tryTimeout: 60 } }),
      'extensions.serviceBus.clientRetryOptions.tryTimeout: expected',
    ],
    [
      withServiceBus({ messageHandlerOptions: { maxConcurrentCalls: 4 } }),
      'messageHandlerOptions: belongs to the Service Bus extension 4.x',
    ],
    [
      JSON.stringify({ functionTimeout: 'forever' }),
      'host.json functionTimeout: expected a time span "hh:mm:ss[.fff]" or "-1", got "forever"',
    ],
    [JSON.stringify({ version: '1.0' }), 'host.json version: expected "2.0"'],
    ['{ "version": ', 'host.json: not valid JSON'],
  ])('%s fails naming the field', (text, message) => {
    const error = failure(text);
    expect(error.message).toContain(message);
    expect(error.retryable).toBe(false);
  });

  it('names the file it read and reports a missing file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'host-config-'));
    const file = join(dir, 'host.json');
    writeFileSync(file, withServiceBus({ maxConcurrentCalls: -1 }));
    expect(() => readHostConfig(file)).toThrow(`${file} extensions.serviceBus.maxConcurrentCalls`);
    expect(() => readHostConfig(join(dir, 'absent.json'))).toThrow(
      expect.objectContaining({ code: 'host_config.unreadable' }),
    );
  });
});
