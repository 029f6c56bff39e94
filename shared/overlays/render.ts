import { applyOverlay } from './apply';
import type { BuildConfig } from './azldev-edits';
import {
  headerOverlay,
  loadMacrosOverlays,
  macrosFile,
  macrosFileName,
  skipCheckOverlay,
} from './azldev-edits';
import type { OverlaySite } from './drift';
import { driftError, overlayError } from './drift';
import { OverlayNotApplicable, OverlayRefused } from './overlay-signals';
import type { Overlay } from './schema';
import type { ComponentTree, FileContent } from './tree';
import { WorkingTree } from './working-tree';

/** Generic over the file contents given, so a tree given as text comes back as text (`string` ⊂ `FileContent`). */
export interface RenderInput<C extends FileContent = FileContent> {
  /** The component name; the rendered spec is `<component>.spec`. */
  readonly component: string;
  /** The upstream name when it differs (`spec.upstream-name`): `<upstreamName>.spec` is renamed first. */
  readonly upstreamName?: string;
  readonly tree: ComponentTree<C>;
  /** The resolved overlay list (defaults and groups first, then the component's own), already validated. */
  readonly overlays: readonly Overlay[];
  readonly build?: BuildConfig;
}

export interface RenderedTree<C extends FileContent = FileContent> {
  /**
   * The rendered sources directory: path → content. A file no overlay edited is the input's own object
   * (bytes stay bytes); an edited or generated one is text.
   */
  readonly files: ReadonlyMap<string, C | string>;
  readonly specPath: string;
}

/**
 * Renders one component as azldev does: macros file, its `%{load:}` line and `Source9999`, the overlays in
 * order, `exit 0` at the top of `%check` when checks are skipped, then the header. Pure: the input tree is not
 * modified. The first overlay that no longer applies fails the whole render with `overlay.drift`.
 */
export function renderComponent<C extends FileContent>(input: RenderInput<C>): RenderedTree<C> {
  const specPath = `${input.component}.spec`;
  const files = new Map(input.tree.files);
  const upstreamSpec = input.upstreamName === undefined ? undefined : `${input.upstreamName}.spec`;
  if (upstreamSpec !== undefined && upstreamSpec !== specPath && files.has(upstreamSpec)) {
    const spec = files.get(upstreamSpec);
    if (spec !== undefined) files.set(specPath, spec);
    files.delete(upstreamSpec);
  }
  const tree = new WorkingTree(files, specPath, input.tree.overlayFiles ?? new Map());
  const steps: { overlay: Overlay; index: number | null }[] = [];
  const macros = macrosFile(input.build);
  if (macros !== undefined) {
    tree.files.set(macrosFileName(input.component), macros);
    for (const overlay of loadMacrosOverlays(input.component)) steps.push({ overlay, index: null });
  }
  input.overlays.forEach((overlay, index) => steps.push({ overlay, index }));
  if (input.build?.check?.skip) {
    steps.push({ overlay: skipCheckOverlay(input.build.check.skipReason ?? ''), index: null });
  }
  steps.push({ overlay: headerOverlay, index: null });
  for (const step of steps) {
    const site: OverlaySite = { component: input.component, index: step.index, overlay: step.overlay };
    try {
      applyOverlay(tree, step.overlay);
    } catch (error) {
      throw asPipelineError(site, error);
    }
  }
  // The working tree holds only the input's own contents (moved, copied, never changed) and the text edits wrote.
  return { files: tree.files as ReadonlyMap<string, C | string>, specPath };
}

function asPipelineError(site: OverlaySite, error: unknown): unknown {
  if (error instanceof OverlayNotApplicable) return driftError(site, error.message, error);
  if (error instanceof OverlayRefused) return overlayError(site, error.code, error.message, error.context);
  return error;
}
