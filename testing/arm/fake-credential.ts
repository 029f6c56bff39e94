import type { AccessToken, TokenCredential } from '@azure/core-auth';

/**
 * A TokenCredential twin for ARM clients under msw: hands out `fake-arm-token` and records the scopes it
 * was asked for, so a test can check the scope and that the token reached (only) the ARM stand-in.
 */
export class FakeArmCredential implements TokenCredential {
  static readonly TOKEN = 'fake-arm-token';
  readonly scopes: (string | string[])[] = [];

  getToken(scopes: string | string[]): Promise<AccessToken> {
    this.scopes.push(scopes);
    return Promise.resolve({ token: FakeArmCredential.TOKEN, expiresOnTimestamp: Date.now() + 3_600_000 });
  }
}
