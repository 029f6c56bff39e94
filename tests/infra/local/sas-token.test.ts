import { createHmac } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { covers, resourceOf, verifySasToken } from '../../../infra/local/broker/sas-token';

/** A token made as core-amqp makes one: HMAC-SHA256 over `<url-encoded resource>\n<expiry>`. */
function token(resource: string, keyName: string, key: string, expiresAtSeconds: number): string {
  const sr = encodeURIComponent(resource);
  const sig = createHmac('sha256', key).update(`${sr}\n${expiresAtSeconds}`).digest('base64');
  return `SharedAccessSignature sr=${sr}&sig=${encodeURIComponent(sig)}&se=${expiresAtSeconds}&skn=${keyName}`;
}

const keys = new Map([['Root', 'c2VjcmV0LWtleQ==']]);
const nowMs = Date.UTC(2026, 0, 1);
const later = nowMs / 1000 + 600;
const audience = 'sb://127.0.0.1:5671/ingest';

describe('verifySasToken', () => {
  test('a token for the namespace or the entity is granted until its expiry', () => {
    expect(
      verifySasToken(token('sb://127.0.0.1:5671/', 'Root', keys.get('Root')!, later), keys, audience, nowMs),
    ).toEqual({
      ok: true,
      resource: '127.0.0.1:5671',
      expiresAtMs: later * 1000,
    });
    expect(
      verifySasToken(token(audience, 'Root', keys.get('Root')!, later), keys, audience, nowMs),
    ).toMatchObject({
      ok: true,
      resource: '127.0.0.1:5671/ingest',
    });
  });

  test("a forged, re-targeted, unknown-key, expired or malformed token is refused with Azure's reason", () => {
    const good = token('sb://127.0.0.1:5671/', 'Root', keys.get('Root')!, later);
    const refusal = (t: string) => verifySasToken(t, keys, audience, nowMs);
    expect(refusal(token('sb://127.0.0.1:5671/', 'Root', 'b3RoZXI=', later))).toMatchObject({
      ok: false,
      description: 'InvalidSignature: The token has an invalid signature.',
    });
    // The signature covers sr and se: changing either breaks it.
    expect(refusal(good.replace('se=', 'se=1'))).toMatchObject({
      description: expect.stringMatching(/^InvalidSignature/),
    });
    expect(refusal(good.replace('5671', '5672'))).toMatchObject({
      description: expect.stringMatching(/^InvalidSignature/),
    });
    expect(refusal(token('sb://127.0.0.1:5671/', 'Nobody', keys.get('Root')!, later))).toMatchObject({
      description: expect.stringMatching(/^InvalidSignature/),
    });
    expect(refusal(token('sb://127.0.0.1:5671/', 'Root', keys.get('Root')!, nowMs / 1000 - 1))).toEqual({
      ok: false,
      description: "ExpiredToken: The token is expired. Expiration time: '2025-12-31 23:59:59Z'.",
    });
    expect(refusal(token('sb://127.0.0.1:5671/ingestion', 'Root', keys.get('Root')!, later))).toMatchObject({
      description: expect.stringMatching(/^InvalidAudience/),
    });
    expect(refusal('Bearer abc')).toMatchObject({ ok: false });
    expect(refusal('SharedAccessSignature sr=x&sig=y')).toMatchObject({
      description: expect.stringMatching(/malformed/),
    });
  });

  test('an HTTPS request is covered by the sb:// token of its resource, whatever the case and query', () => {
    // The administration client signs the lower-cased, URL-encoded request URL, query included.
    const url = 'https://127.0.0.1:5671/$Resources/queues?api-version=2021-05&$skip=0';
    const sr = encodeURIComponent(url.toLowerCase()).toLowerCase();
    const se = later;
    const sig = createHmac('sha256', keys.get('Root')!).update(`${sr}\n${se}`).digest('base64');
    const header = `SharedAccessSignature sig=${encodeURIComponent(sig)}&se=${se}&skn=Root&sr=${sr}`;
    expect(verifySasToken(header, keys, url, nowMs)).toMatchObject({
      ok: true,
      resource: '127.0.0.1:5671/$resources/queues',
    });
  });
});

describe('resources', () => {
  test('scheme, query and trailing slash do not count; a resource covers its descendants only', () => {
    expect(resourceOf('sb://Host:5671/Queue/')).toBe('host:5671/queue');
    expect(resourceOf('https://host:5671/queue?api-version=2021-05')).toBe('host:5671/queue');
    expect(covers('host/queue', 'host/queue/$management')).toBe(true);
    expect(covers('host/queue', 'host/queue2')).toBe(false);
    expect(covers('host', 'other-host/queue')).toBe(false);
  });
});
