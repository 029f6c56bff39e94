import { existsSync, statSync } from 'node:fs';
import { dirname, join, posix } from 'node:path';
import { renderComponent } from '../../shared/overlays';
import type { Overlay, RenderedTree } from '../../shared/overlays';
import type { FileContent } from '../../shared/overlays/tree';
import { PipelineError } from '../../shared/errors';
import { loadDistroTree, resolveComponent } from '../../shared/distro';
import { FsDistroFiles } from '../distro/fs-distro-files';
import type { ComponentOverlays } from './component-file';
import { effectiveComponentOverlays, readComponentOverlays } from './component-file';
import { applyArchiveStage } from './archive-stage';
import { DiskFile, readTree, writeTree } from './file-tree';

export interface ApplyOverlaysOptions {
  /** The distro tree (folder of `azldev.toml`): the component's effective config is used. */
  readonly config?: string;
  /** Or a single `*.comp.toml` (or JSON); overlay sources are resolved against its folder. */
  readonly overlays?: string;
  readonly component: string;
  /** The upstream sources folder (dist-git checkout). */
  readonly upstream: string;
  readonly out: string;
}

/**
 * The one render path, for `overlays apply` and for a build alike: reads the upstream folder (every file, the
 * downloaded sources too, as azldev renders in the folder it fetched them into) and the component's overlay
 * files, edits the source archives archive-scoped overlays name (the archive stage: repacked, `sources`
 * re-hashed), renders, and writes the rendered tree. Files are bytes: only those an overlay edits are
 * decoded, and every other one is copied byte for byte. Asynchronous for the archive stage alone (tar-stream
 * and the xz/zstd processes are streams).
 */
export async function applyOverlays(options: ApplyOverlaysOptions): Promise<RenderedTree> {
  const { config, folder } = componentOverlays(options);
  const upstream = readTree(options.upstream);
  const files = await applyArchiveStage(options.component, upstream, config.overlays);
  const rendered = renderComponent({
    component: options.component,
    upstreamName: config.upstreamName,
    overlays: config.overlays,
    build: config.build,
    tree: { files, overlayFiles: overlaySources(folder, config.overlays) },
  });
  writeTree(options.out, rendered.files, upstream);
  return rendered;
}

function componentOverlays(options: ApplyOverlaysOptions): { config: ComponentOverlays; folder: string } {
  if (options.config !== undefined) {
    const files = new FsDistroFiles();
    const effective = resolveComponent(loadDistroTree(files, options.config), options.component);
    const folder = dirname(effective.file);
    return {
      config: effectiveComponentOverlays(effective.config, effective.file, options.component, folder),
      folder,
    };
  }
  if (options.overlays === undefined) {
    throw PipelineError.permanent('overlay.config', 'give --config <distro dir> or --overlays <comp.toml>', {
      component: options.component,
    });
  }
  return {
    config: readComponentOverlays(options.overlays, options.component),
    folder: dirname(options.overlays),
  };
}

/**
 * The files the overlays name as `source`, taken from the component's folder (as bytes, unread). Paths that climb out are not
 * read: the engine refuses them with `overlay.path-escape`; missing ones it reports as `overlay.source-missing`.
 */
function overlaySources(folder: string, overlays: readonly Overlay[]): Map<string, FileContent> {
  const files = new Map<string, FileContent>();
  for (const overlay of overlays) {
    if (overlay.type !== 'patch-add' && overlay.type !== 'file-add') continue;
    const path = posix.normalize(overlay.source);
    if (path.startsWith('/') || path === '..' || path.startsWith('../')) continue;
    const full = join(folder, ...path.split('/'));
    if (existsSync(full) && statSync(full).isFile()) files.set(path, new DiskFile(full));
  }
  return files;
}
