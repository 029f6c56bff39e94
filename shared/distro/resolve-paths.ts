import { posix } from 'node:path';
import type { ComponentConfig } from './schema/component';
import type { ConfigFile } from './schema/config-file';

/**
 * Makes every path field of one file absolute against `dir`, the directory of the file that declares it
 * (azldev's rule): project directories, distro-version mock configs, `spec.path`, overlay `source`, image
 * `definition.path`, inside components and every `default-component-config`. Returns a new object.
 */
export function resolveFilePaths(config: ConfigFile, dir: string): ConfigFile {
  const at = (path: string | undefined): string | undefined =>
    path === undefined || path === '' ? path : posix.resolve(dir, path);
  const out: ConfigFile = { ...config };
  if (config.project) {
    const p = { ...config.project };
    for (const key of ['log-dir', 'work-dir', 'output-dir', 'rendered-specs-dir', 'lock-dir'] as const) {
      if (p[key] !== undefined) p[key] = at(p[key]);
    }
    out.project = p;
  }
  if (config.distros) {
    out.distros = mapValues(config.distros, (distro) => ({
      ...distro,
      ...(distro.versions && {
        versions: mapValues(distro.versions, (version) => {
          const v = { ...version };
          for (const key of ['mock-config', 'mock-config-x86_64', 'mock-config-aarch64'] as const) {
            if (v[key] !== undefined) v[key] = at(v[key]);
          }
          if (v['default-component-config'])
            v['default-component-config'] = component(v['default-component-config'], at);
          return v;
        }),
      }),
    }));
  }
  if (config.components) out.components = mapValues(config.components, (c) => component(c, at));
  if (config['component-groups']) {
    out['component-groups'] = mapValues(config['component-groups'], (group) =>
      group['default-component-config']
        ? { ...group, 'default-component-config': component(group['default-component-config'], at) }
        : group,
    );
  }
  if (config['default-component-config']) {
    out['default-component-config'] = component(config['default-component-config'], at);
  }
  if (config.images) {
    out.images = mapValues(config.images, (image) =>
      image.definition
        ? { ...image, definition: { ...image.definition, path: at(image.definition.path) ?? '' } }
        : image,
    );
  }
  return out;
}

function component(
  config: ComponentConfig,
  at: (path: string | undefined) => string | undefined,
): ComponentConfig {
  const out: ComponentConfig = { ...config };
  if (config.spec?.path !== undefined) out.spec = { ...config.spec, path: at(config.spec.path) };
  if (config.overlays) {
    out.overlays = config.overlays.map((o) => (o.source === undefined ? o : { ...o, source: at(o.source) }));
  }
  return out;
}

function mapValues<T>(record: Record<string, T>, fn: (value: T) => T): Record<string, T> {
  const out: Record<string, T> = {};
  for (const [key, value] of Object.entries(record)) out[key] = fn(value);
  return out;
}
