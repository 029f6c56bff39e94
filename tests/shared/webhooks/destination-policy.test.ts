import { describe, expect, it } from 'vitest';
import { PipelineError } from '../../../shared/errors';
import {
  addressRefusal,
  checkDestinationUrl,
  checkResolvedAddresses,
  cloudMetadataAddresses,
  strictDestinationPolicy,
} from '../../../shared/webhooks/destination-policy';
import type { DestinationPolicy } from '../../../shared/webhooks/destination-policy';

const strict = strictDestinationPolicy;
const local: DestinationPolicy = { allowLoopback: true };

/** The refused destination `act` throws, with its context. */
function refusalOf(act: () => unknown): PipelineError {
  try {
    act();
  } catch (error) {
    if (PipelineError.is(error, 'webhook.destination-refused')) return error;
    throw error;
  }
  throw new Error('expected webhook.destination-refused, nothing was thrown');
}

describe('addressRefusal', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.255.255.254', 'loopback'],
    ['::1', 'loopback'],
    ['10.0.0.1', 'private'],
    ['10.255.255.255', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.254', 'private'],
    ['192.168.1.1', 'private'],
    ['169.254.0.1', 'linkLocal'],
    ['fe80::1', 'linkLocal'],
    ['febf::1', 'linkLocal'],
    ['100.64.0.1', 'carrierGradeNat'],
    ['100.127.255.254', 'carrierGradeNat'],
    ['fc00::1', 'uniqueLocal'],
    ['fdff:ffff::1', 'uniqueLocal'],
    ['224.0.0.1', 'multicast'],
    ['239.255.255.250', 'multicast'],
    ['ff02::1', 'multicast'],
    ['0.0.0.0', 'unspecified'],
    ['0.1.2.3', 'unspecified'],
    ['::', 'unspecified'],
    ['255.255.255.255', 'broadcast'],
    ['192.0.2.10', 'reserved'],
    ['198.51.100.7', 'reserved'],
    ['203.0.113.5', 'reserved'],
    ['198.18.0.1', 'reserved'],
    ['240.0.0.1', 'reserved'],
    ['2001:db8::1', 'reserved'],
    ['2002:a00:1::1', '6to4'],
    ['2001:0:4136:e378::1', 'teredo'],
    ['64:ff9b:1::a00:1', 'rfc6052'],
    ['::ffff:0:a00:1', 'rfc6145'],
    ['fec0::1', 'deprecatedSiteLocal'],
    ['100::1', 'discard'],
    ['::a00:1', 'not-global-unicast'],
    ['4000::1', 'not-global-unicast'],
    ['169.254.169.254', 'cloud-metadata'],
    ['168.63.129.16', 'cloud-metadata'],
    ['fd00:ec2::254', 'cloud-metadata'],
    ['fd20:ce::254', 'cloud-metadata'],
    ['100.100.100.200', 'cloud-metadata'],
    ['not an address', 'not-global-unicast'],
  ])('refuses %s (%s)', (address, reason) => {
    expect(addressRefusal(address, strict)).toEqual({ address, reason });
  });

  it('refuses every cloud metadata and platform address by that name, the public Azure one included', () => {
    for (const address of cloudMetadataAddresses)
      expect(addressRefusal(address, local)?.reason, address).toBe('cloud-metadata');
  });

  it.each([
    ['::ffff:10.0.0.1', '10.0.0.1', 'private'],
    ['::ffff:127.0.0.1', '127.0.0.1', 'loopback'],
    ['::ffff:7f00:1', '127.0.0.1', 'loopback'],
    ['::ffff:169.254.169.254', '169.254.169.254', 'cloud-metadata'],
    ['::ffff:168.63.129.16', '168.63.129.16', 'cloud-metadata'],
    ['::ffff:100.64.0.1', '100.64.0.1', 'carrierGradeNat'],
    ['::ffff:192.168.0.1', '192.168.0.1', 'private'],
    ['64:ff9b::10.0.0.1', '10.0.0.1', 'private'],
    ['64:ff9b::a9fe:a9fe', '169.254.169.254', 'cloud-metadata'],
    ['64:ff9b::127.0.0.1', '127.0.0.1', 'loopback'],
  ])('judges %s by the IPv4 address it carries (%s: %s)', (address, embeddedIPv4, reason) => {
    expect(addressRefusal(address, strict)).toEqual({ address, reason, embeddedIPv4 });
  });

  it.each(['93.184.215.14', '1.1.1.1', '2606:4700:4700::1111', '2a00:1450:4001:80b::200e'])(
    'allows the global unicast address %s',
    (address) => {
      expect(addressRefusal(address, strict)).toBeUndefined();
    },
  );

  it('allows the IPv4-mapped and NAT64 forms of a public IPv4 address', () => {
    expect(addressRefusal('::ffff:1.1.1.1', strict)).toBeUndefined();
    expect(addressRefusal('64:ff9b::1.1.1.1', strict)).toBeUndefined();
  });

  it('allows loopback only with allowLoopback, and nothing else private with it', () => {
    for (const address of ['127.0.0.1', '::1', '::ffff:127.0.0.1']) {
      expect(addressRefusal(address, strict)?.reason).toBe('loopback');
      expect(addressRefusal(address, local)).toBeUndefined();
    }
    expect(addressRefusal('10.0.0.1', local)?.reason).toBe('private');
    expect(addressRefusal('169.254.169.254', local)?.reason).toBe('cloud-metadata');
    expect(addressRefusal('fd00::1', local)?.reason).toBe('uniqueLocal');
  });

  it('lets plain http reach loopback only', () => {
    expect(addressRefusal('127.0.0.1', local, { plainHttp: true })).toBeUndefined();
    expect(addressRefusal('1.1.1.1', local, { plainHttp: true })?.reason).toBe('plain-http-not-loopback');
  });
});

describe('checkDestinationUrl', () => {
  it('accepts an https URL with a name or a public address, and hands back the normalised URL', () => {
    const named = checkDestinationUrl('https://Hooks.Example.com:8443/in?x=1', strict);
    expect(named.url.href).toBe('https://hooks.example.com:8443/in?x=1');
    expect(named).toMatchObject({ host: 'hooks.example.com', plainHttp: false });
    expect(named.literalAddress).toBeUndefined();
    const literal = checkDestinationUrl('https://[2606:4700:4700::1111]/', strict);
    expect(literal).toMatchObject({ host: '2606:4700:4700::1111', literalAddress: '2606:4700:4700::1111' });
  });

  it.each([
    ['https://2130706433/', 'decimal'],
    ['https://0x7f000001/', 'hexadecimal'],
    ['https://017700000001/', 'octal'],
    ['https://0x7f.1/', 'mixed'],
    ['https://127.1/', 'short'],
  ])('refuses %s: a %s IPv4 form of loopback, normalised and checked', (url) => {
    const error = refusalOf(() => checkDestinationUrl(url, strict));
    expect(error.context).toMatchObject({ field: 'url', reason: 'loopback', address: '127.0.0.1' });
  });

  it('refuses the odd forms of private and metadata addresses too', () => {
    expect(refusalOf(() => checkDestinationUrl('https://167772161/', strict)).context.reason).toBe('private');
    expect(refusalOf(() => checkDestinationUrl('https://0xa9fea9fe/', strict)).context.reason).toBe(
      'cloud-metadata',
    );
    expect(refusalOf(() => checkDestinationUrl('https://[::ffff:a9fe:a9fe]/', strict)).context).toMatchObject(
      {
        reason: 'cloud-metadata',
        embeddedIPv4: '169.254.169.254',
      },
    );
  });

  it.each([
    ['http://hooks.example.com/', 'plain-http-not-loopback'],
    ['http://127.0.0.1:8080/', 'plain-http-not-loopback'],
    ['ftp://hooks.example.com/', 'scheme'],
    ['file:///etc/passwd', 'scheme'],
    ['gopher://127.0.0.1:6379/', 'scheme'],
    ['https://user:secret@hooks.example.com/', 'credentials'],
    ['https://user@hooks.example.com/', 'credentials'],
    ['https://localhost/', 'loopback-name'],
    ['https://app.localhost./', 'loopback-name'],
    ['hooks.example.com/path', 'invalid-url'],
    ['https://[fe80::1%25eth0]/', 'invalid-url'],
    [`https://hooks.example.com/${'a'.repeat(2048)}`, 'too-long'],
  ])('refuses %s (%s)', (url, reason) => {
    const error = refusalOf(() => checkDestinationUrl(url, strict, 'subscription.url'));
    expect(error.context).toMatchObject({ field: 'subscription.url', reason });
    expect(error.message).toMatch(/^subscription\.url: /);
    expect(error.retryable).toBe(false);
  });

  it('with allowLoopback takes http and https to loopback, and still no http elsewhere', () => {
    expect(checkDestinationUrl('http://127.0.0.1:8080/hook', local).plainHttp).toBe(true);
    expect(checkDestinationUrl('http://localhost:8080/hook', local).host).toBe('localhost');
    expect(checkDestinationUrl('http://[::1]:8080/hook', local).literalAddress).toBe('::1');
    expect(checkDestinationUrl('https://127.0.0.1/', local).plainHttp).toBe(false);
    expect(refusalOf(() => checkDestinationUrl('http://hooks.example.com/', local)).context.reason).toBe(
      'plain-http-not-loopback',
    );
    expect(refusalOf(() => checkDestinationUrl('https://10.1.2.3/', local)).context.reason).toBe('private');
  });

  it('names the field, the reason and the address in an error that survives JSON and answers 400', () => {
    const error = refusalOf(() => checkDestinationUrl('https://[fd00:ec2::254]/latest', strict));
    const copy = PipelineError.fromJSON(JSON.parse(JSON.stringify(error)));
    expect(copy.context).toEqual({
      field: 'url',
      reason: 'cloud-metadata',
      host: 'fd00:ec2::254',
      address: 'fd00:ec2::254',
    });
    expect(copy.message).toBe('url: fd00:ec2::254: a cloud metadata or platform address');
  });
});

describe('checkResolvedAddresses', () => {
  const destination = checkDestinationUrl('https://hooks.example.com/', strict);

  it('passes a name whose every address is public', () => {
    expect(() =>
      checkResolvedAddresses(destination, ['1.1.1.1', '2606:4700:4700::1111'], strict),
    ).not.toThrow();
  });

  it('refuses a name when any one of its addresses is refused, naming that address', () => {
    const error = refusalOf(() =>
      checkResolvedAddresses(destination, ['1.1.1.1', '::ffff:10.1.2.3'], strict, 'url'),
    );
    expect(error.context).toEqual({
      field: 'url',
      reason: 'private',
      host: 'hooks.example.com',
      address: '::ffff:10.1.2.3',
      embeddedIPv4: '10.1.2.3',
    });
    expect(error.message).toBe(
      'url: hooks.example.com resolves to ::ffff:10.1.2.3, which carries 10.1.2.3: a private address',
    );
  });

  it('refuses plain http to a name that resolves beyond loopback', () => {
    const http = checkDestinationUrl('http://localhost:8080/', local);
    expect(() => checkResolvedAddresses(http, ['127.0.0.1', '::1'], local)).not.toThrow();
    expect(refusalOf(() => checkResolvedAddresses(http, ['1.1.1.1'], local)).context.reason).toBe(
      'plain-http-not-loopback',
    );
  });
});
