import { PipelineError } from '../errors';
import type { KiwiDescription, ProfileNames } from './kiwi-description';

/**
 * The profiles a build of `description` selects, as kiwi does: the one asked for (the tree entry's
 * `definition.profile`), or, when none is asked for, every profile marked `import="true"`; each with the
 * profiles it `<requires>`, transitively. A profile the description does not declare is
 * `image.unknown-profile`.
 */
export function selectProfiles(description: KiwiDescription, asked: string | undefined): string[] {
  const byName = new Map(description.profiles.map((p) => [p.name, p]));
  if (asked !== undefined && !byName.has(asked)) {
    const declared = [...byName.keys()];
    throw PipelineError.permanent(
      'image.unknown-profile',
      `${description.file}: profile '${asked}' is not declared (declared: ${declared.length > 0 ? declared.join(', ') : 'none'})`,
      { file: description.file, profile: asked },
    );
  }
  const selected: string[] = [];
  const visit = (name: string): void => {
    if (selected.includes(name)) return;
    selected.push(name);
    for (const required of byName.get(name)?.requires ?? []) visit(required);
  };
  const start =
    asked === undefined ? description.profiles.filter((p) => p.import).map((p) => p.name) : [asked];
  start.forEach(visit);
  return selected;
}

/** Whether a section bound to `profiles` applies: it names no profile, or one of the selected ones. */
export function appliesTo(profiles: ProfileNames, selected: readonly string[]): boolean {
  return profiles.length === 0 || profiles.some((name) => selected.includes(name));
}
