import { createHash } from 'node:crypto';

/**
 * Whether the synthetic builder fails this build: the SHA-256 of component and fingerprint read as a fraction
 * in [0, 1), compared with `rate`. The same build decides the same way every time (a redelivery, another
 * worker), and about `rate` of many builds fail. Rate 0 never fails, rate 1 always does.
 */
export function syntheticBuildFails(component: string, fingerprint: string, rate: number): boolean {
  if (rate <= 0) return false;
  if (rate >= 1) return true;
  const digest = createHash('sha256').update(`${component}\0${fingerprint}`).digest();
  // 48 bits are exact in a double and plenty to spread the builds.
  return digest.readUIntBE(0, 6) / 2 ** 48 < rate;
}
