import { readFileSync } from 'node:fs';
import { relative, sep } from 'node:path';
import { parse } from 'smol-toml';
import { z } from 'zod';
import { PipelineError } from '../../shared/errors';
import type { BuildConfig, Overlay } from '../../shared/overlays';
import { overlaySchema } from '../../shared/overlays';

/**
 * What `overlays apply` needs from a component's config: its overlays, build macros / check skipping and the
 * upstream spec name. Read from a single `*.comp.toml` (`[components.<name>]`, as in the Azure Linux tree)
 * or from JSON `{ "overlays": [...], "build"?: {...}, "upstream-name"?: "..." }`. Until the distro loader is
 * wired in, only this one file is read: group and distro defaults are not merged.
 */
export interface ComponentOverlays {
  readonly overlays: Overlay[];
  readonly build: BuildConfig;
  readonly upstreamName?: string;
}

const buildSchema = z
  .object({
    with: z.array(z.string()).optional(),
    without: z.array(z.string()).optional(),
    defines: z.record(z.string(), z.string()).optional(),
    undefines: z.array(z.string()).optional(),
    check: z.object({ skip: z.boolean().optional(), skip_reason: z.string().optional() }).optional(),
  })
  .loose();

const componentSchema = z
  .object({
    overlays: z.array(overlaySchema).default([]),
    build: buildSchema.optional(),
    spec: z.object({ 'upstream-name': z.string().optional() }).loose().optional(),
    'upstream-name': z.string().optional(),
  })
  .loose();

/**
 * The same from a component's effective config (distro, project and group defaults merged by the loader).
 * The loader made overlay `source` paths absolute; the engine wants them relative to the component's folder.
 */
export function effectiveComponentOverlays(
  config: unknown,
  file: string,
  component: string,
  folder: string,
): ComponentOverlays {
  const table = config as { overlays?: { source?: string }[] };
  const relativeSources = {
    ...table,
    overlays: (table.overlays ?? []).map((o) =>
      o.source === undefined ? o : { ...o, source: relative(folder, o.source).split(sep).join('/') },
    ),
  };
  return toComponentOverlays(relativeSources, file, component);
}

export function readComponentOverlays(file: string, component: string): ComponentOverlays {
  const text = readFileSync(file, 'utf8');
  const document: unknown = file.endsWith('.json') ? JSON.parse(text) : parse(text);
  const table = file.endsWith('.json')
    ? document
    : (document as { components?: Record<string, unknown> }).components?.[component];
  if (table === undefined) {
    throw PipelineError.permanent('overlay.config', `${file}: no [components.${component}] table`, {
      file,
      component,
    });
  }
  return toComponentOverlays(table, file, component);
}

function toComponentOverlays(table: unknown, file: string, component: string): ComponentOverlays {
  const parsed = componentSchema.safeParse(table);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = issue?.path.join('.') ?? '';
    throw PipelineError.permanent('overlay.config', `${file}: ${path}: ${issue?.message ?? 'invalid'}`, {
      file,
      component,
      field: path,
    });
  }
  const { overlays, build } = parsed.data;
  const check = build?.check;
  return {
    overlays,
    build: {
      ...build,
      check: check ? { skip: check.skip ?? false, skipReason: check.skip_reason ?? '' } : undefined,
    },
    upstreamName: parsed.data.spec?.['upstream-name'] ?? parsed.data['upstream-name'],
  };
}
