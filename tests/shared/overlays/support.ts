import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Overlay } from '../../../shared/overlays';
import { overlaySchema } from '../../../shared/overlays';
import { fixturePath } from '../../../testing/fixtures/fixture-path';

export const fixtures = fixturePath('overlays');

/** An upstream fixture folder as an in-memory tree. */
export function upstream(name: string): Map<string, string> {
  const dir = join(fixtures, 'upstream', name);
  return new Map(readdirSync(dir).map((file) => [file, readFileSync(join(dir, file), 'utf8')]));
}

/** The overlays of a fixture component (converted from shared/fixtures/azurelinux with tomllib). */
export function fixtureOverlays(component: string): Overlay[] {
  const all = JSON.parse(readFileSync(join(fixtures, 'azurelinux-overlays.json'), 'utf8')) as Record<
    string,
    { overlays: unknown[] }
  >;
  return (all[component]?.overlays ?? []).map((o) => overlaySchema.parse(o));
}
