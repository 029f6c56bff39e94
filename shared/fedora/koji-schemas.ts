import { z } from 'zod';
import { epoch, kojiId, nvrField, packageName, tagName } from './identifiers';

/**
 * Bodies of the Koji topics (koji-fedoramessaging-messages `build.py`, `tag.py`, `repo.py`). Lenient: only the
 * fields the pipeline reads are checked; real bodies carry many more (the whole task tree, URLs, owners) and
 * keep them (loose objects).
 */

/** Koji `BUILD_STATES`, indexed by the `new` / `old` numbers of build.state.change. */
export const kojiBuildStates = ['BUILDING', 'COMPLETE', 'DELETED', 'FAILED', 'CANCELED'] as const;

/** `instance` names the Koji hub; Fedora's is "primary" (the old secondary-arch hubs were s390, ppc, arm). */
const instance = z.string().max(64).optional();

/** `buildsys.build.state.change`: a build moved between BUILDING, COMPLETE, DELETED, FAILED, CANCELED. */
export const buildStateChangeBody = z.looseObject({
  name: packageName,
  version: nvrField,
  release: nvrField,
  epoch: epoch.optional(),
  /** Null for a build record not (yet) in the database, in principle; real messages always carry it. */
  build_id: kojiId.nullable(),
  /** Null for imported builds. */
  task_id: kojiId.nullable().optional(),
  new: z
    .number()
    .int()
    .min(0)
    .max(kojiBuildStates.length - 1, 'unknown Koji build state'),
  old: z.number().int().nullable().optional(),
  attribute: z.string().max(64).optional(),
  instance,
  /**
   * The build task's request, `[<scm url or srpm path>, <target>, {opts}]`; its shape varies with the task
   * method (image builds differ), so it is read field by field rather than validated.
   */
  request: z.unknown().optional(),
});
export type BuildStateChangeBody = z.output<typeof buildStateChangeBody>;

/** `buildsys.tag` / `buildsys.untag`: one build added to / removed from one tag. No epoch in these. */
export const tagBody = z.looseObject({
  tag: tagName,
  tag_id: kojiId.optional(),
  name: packageName,
  version: nvrField,
  release: nvrField,
  build_id: kojiId,
  user: z.string().max(255).nullable().optional(),
  owner: z.string().max(255).nullable().optional(),
  instance,
});
export type TagBody = z.output<typeof tagBody>;

/** `buildsys.repo.done`: the buildroot repo of `tag` was regenerated. */
export const repoDoneBody = z.looseObject({
  tag: tagName,
  tag_id: kojiId.optional(),
  repo_id: kojiId,
  instance,
});
export type RepoDoneBody = z.output<typeof repoDoneBody>;
