import { describe, expect, it } from 'vitest';
import {
  APPLICATIONINSIGHTS_AUTHENTICATION_STRING,
  parseAuthenticationString,
} from '../../../shared/telemetry/authentication-string';

const CLIENT_ID = '3f2504e0-4f89-11d3-9a0c-0305e82c3301';

describe('parseAuthenticationString', () => {
  it('reads the system-assigned identity from Authorization=AAD', () => {
    expect(parseAuthenticationString('Authorization=AAD')).toEqual({});
  });

  it('reads the client id of a user-assigned identity', () => {
    expect(parseAuthenticationString(`Authorization=AAD;ClientId=${CLIENT_ID}`)).toEqual({
      clientId: CLIENT_ID,
    });
  });

  it('takes keys in any case and order, blanks and empty segments, as the Functions host does', () => {
    expect(
      parseAuthenticationString(` clientid = ${CLIENT_ID.toUpperCase()} ;; AUTHORIZATION=AAD; `),
    ).toEqual({
      clientId: CLIENT_ID.toUpperCase(),
    });
  });

  it.each([
    ['', 'has no Authorization'],
    [`ClientId=${CLIENT_ID}`, 'has no Authorization'],
    ['AAD', 'is not Key=Value pairs'],
    ['=AAD', 'is not Key=Value pairs'],
    ['Authorization=aad', 'must say Authorization=AAD'],
    ['Authorization=Key', 'must say Authorization=AAD'],
    ['Authorization=', 'must say Authorization=AAD'],
    ['Authorization=AAD;ClientId=', 'has a ClientId that is not a GUID'],
    ['Authorization=AAD;ClientId=my-identity', 'has a ClientId that is not a GUID'],
    [`Authorization=AAD;ClientId=${CLIENT_ID};ClientId=${CLIENT_ID}`, 'names ClientId twice'],
    ['Authorization=AAD;Authorization=AAD', 'names Authorization twice'],
    ['Authorization=AAD;InstrumentationKey=secret-value', 'has a key other than Authorization and ClientId'],
  ])('refuses %j: settings.invalid naming the setting, never the value', (text, problem) => {
    let thrown: unknown;
    try {
      parseAuthenticationString(text);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toMatchObject({
      code: 'settings.invalid',
      retryable: false,
      message: expect.stringContaining(`${APPLICATIONINSIGHTS_AUTHENTICATION_STRING}: ${problem}`),
      context: { settings: APPLICATIONINSIGHTS_AUTHENTICATION_STRING },
    });
    expect(JSON.stringify(thrown)).not.toContain('secret-value');
    expect(JSON.stringify(thrown)).not.toContain('my-identity');
  });

  it('names the setting the Functions host reads', () => {
    expect(APPLICATIONINSIGHTS_AUTHENTICATION_STRING).toBe('APPLICATIONINSIGHTS_AUTHENTICATION_STRING');
  });
});
