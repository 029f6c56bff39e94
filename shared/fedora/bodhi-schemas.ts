import { z } from 'zod';
import { epoch, kojiId, nvrString, packageName, tagName } from './identifiers';

/**
 * Bodhi message bodies (bodhi-messages `schemas/update.py`, `base.py`). Only the schema's required update
 * fields plus the optional ones the pipeline reads are checked; real messages carry the whole update JSON.
 */

/** `update.release`: at least `name` (`F43`, `EPEL-10`, `ELN`); real messages add branch and tag names. */
export const bodhiRelease = z.looseObject({
  name: z.string().min(1).max(64),
  branch: z.string().max(255).nullable().optional(),
  dist_tag: z.string().max(255).nullable().optional(),
  candidate_tag: tagName.nullable().optional(),
  testing_tag: tagName.nullable().optional(),
  stable_tag: tagName.nullable().optional(),
});

export const bodhiBuild = z.looseObject({
  nvr: nvrString,
  epoch: epoch.optional(),
  /** `rpm`, `container`, `flatpak`, `module` (newer Bodhi). */
  type: z.string().max(32).optional(),
});

export const bodhiUpdate = z.looseObject({
  alias: z.string().min(1).max(128),
  builds: z.array(bodhiBuild).max(10_000),
  release: bodhiRelease,
  request: z.string().max(32).nullable().optional(),
  status: z.string().max(32).optional(),
  content_type: z.string().max(32).nullable().optional(),
  /** Side tag the update was created from (newer Bodhi). */
  from_tag: tagName.nullable().optional(),
});
export type BodhiUpdate = z.output<typeof bodhiUpdate>;

/** `bodhi.update.complete.{stable,testing}` and `bodhi.update.request.*`: `{agent, update}`. */
export const updateMessageBody = z.looseObject({
  update: bodhiUpdate,
  agent: z.string().max(255).nullable().optional(),
});

/** One Koji build of a `koji-build-group` artifact; v1/v2 add `component`, `issuer`, `scratch`. */
export const artifactBuild = z.looseObject({
  nvr: nvrString,
  id: kojiId.nullable().optional(),
  task_id: kojiId.nullable().optional(),
  component: packageName.optional(),
  scratch: z.boolean().optional(),
});

/**
 * `bodhi.update.status.testing.koji-build-group.build.complete`, schema v1–v3 (header
 * `bodhi.update.status.testing.v1|v2|v3`, never consulted). v3 (current): `{agent, artifact{type, builds},
 * "re-trigger", update}`. v1: CI-style `{contact, artifact{id (alias), type, builds, repository, release},
 * generated_at, version, agent}`; v2 = v1 + `update`.
 */
export const buildGroupCompleteBody = z.looseObject({
  artifact: z.looseObject({
    type: z.string().max(64).optional(),
    builds: z.array(artifactBuild).min(1).max(10_000),
    /** v1/v2: the update alias. */
    id: z.string().min(1).max(128).optional(),
    /** v1/v2: the dist-git branch / release, e.g. `f29`. */
    release: z.string().min(1).max(64).optional(),
  }),
  update: bodhiUpdate.optional(),
});
export type BuildGroupCompleteBody = z.output<typeof buildGroupCompleteBody>;
