import { PipelineError } from '../errors';
import type { ErrorContext } from '../errors';
import { validateOverlay } from '../overlays/validate';
import { locateKeyPath } from './locate';
import type { ComponentConfig } from './schema/component';
import type { ConfigFile } from './schema/config-file';

/** One overlay list of a file: where it sits (TOML key path) and, for a component's own, its name. */
interface OverlayList {
  readonly path: readonly string[];
  readonly component?: string;
  readonly overlays: readonly unknown[];
}

/**
 * Runs azldev's load-time overlay validation (`validateOverlay`) over every overlay list one config file
 * declares: each component's, the file's `default-component-config`, each component group's and each
 * distro version's. The first refused overlay throws `distro.invalid-overlay`, naming the file and line, the
 * component (or the defaults table), the overlay's index in its list and description, the field and the
 * reason in azldev's words. Runs per file, before the merge, so the index is the one the user sees.
 */
export function checkOverlays(file: string, text: string, config: ConfigFile): void {
  for (const list of overlayLists(config)) {
    list.overlays.forEach((overlay, index) => {
      const result = validateOverlay(overlay);
      if (!result.ok) throw refusal(file, text, list, index, overlay, result.problem);
    });
  }
}

function* overlayLists(config: ConfigFile): Generator<OverlayList> {
  const of = (path: string[], table: ComponentConfig | undefined, component?: string): OverlayList[] =>
    table?.overlays
      ? [{ path: [...path, 'overlays'], overlays: table.overlays, ...(component && { component }) }]
      : [];
  for (const [name, component] of Object.entries(config.components ?? {})) {
    yield* of(['components', name], component, name);
  }
  yield* of(['default-component-config'], config['default-component-config']);
  for (const [name, group] of Object.entries(config['component-groups'] ?? {})) {
    yield* of(['component-groups', name, 'default-component-config'], group['default-component-config']);
  }
  for (const [name, distro] of Object.entries(config.distros ?? {})) {
    for (const [version, value] of Object.entries(distro.versions ?? {})) {
      yield* of(
        ['distros', name, 'versions', version, 'default-component-config'],
        value['default-component-config'],
      );
    }
  }
}

function refusal(
  file: string,
  text: string,
  list: OverlayList,
  index: number,
  overlay: unknown,
  problem: { field: string; message: string },
): PipelineError {
  const description = (overlay as { description?: unknown } | null)?.description;
  const described = typeof description === 'string' && description !== '' ? description : undefined;
  const field = [...list.path, String(index), ...(problem.field ? [problem.field] : [])].join('.');
  const line = overlayLine(text, list.path, index, problem.field);
  const owner =
    list.component === undefined ? list.path.slice(0, -1).join('.') : `component ${list.component}`;
  const at = line === undefined ? file : `${file}:${line}`;
  const context: ErrorContext = { file, field, overlayIndex: index };
  if (list.component !== undefined) context.component = list.component;
  if (described !== undefined) context.description = described;
  if (line !== undefined) context.line = line;
  return PipelineError.permanent(
    'distro.invalid-overlay',
    `${at}: ${owner}: overlay ${index} (${described ?? 'no description'}): ${problem.message}`,
    context,
  );
}

/**
 * Best-effort line of an overlay's field: the `index`-th `[[<path>]]` header of the file, then the first
 * line of that block naming the field's first key (else the header). Inline `overlays = [...]` arrays fall
 * back to the line of the `overlays` key.
 */
function overlayLine(
  text: string,
  path: readonly string[],
  index: number,
  field: string,
): number | undefined {
  const lines = text.split('\n');
  const segment = (name: string): string => `(?:${escape(name)}|"${escape(name)}"|'${escape(name)}')`;
  const header = new RegExp(`^\\s*\\[\\[\\s*${path.map(segment).join('\\s*\\.\\s*')}\\s*\\]\\]`);
  const headers = lines.flatMap((line, at) => (header.test(line) ? [at] : []));
  const start = headers[index];
  if (start === undefined) return locateKeyPath(text, path);
  const key = field.split('.')[0] ?? '';
  const keyLine = new RegExp(`^\\s*${segment(key)}\\s*[=.]`);
  for (let at = start + 1; at < lines.length && !/^\s*\[/.test(lines[at] ?? ''); at++) {
    if (key !== '' && keyLine.test(lines[at] ?? '')) return at + 1;
  }
  return start + 1;
}

const escape = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
