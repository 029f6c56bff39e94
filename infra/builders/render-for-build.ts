import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { TextDecoder } from 'node:util';
import { parseSourcesFile } from '../../shared/sources/sources-file';
import type { RenderedTree } from '../../shared/overlays';
import { applyOverlays } from '../overlays/apply-overlays';

export interface RenderForBuildOptions {
  /** The distro tree (folder of `azldev.toml`). */
  readonly config: string;
  readonly component: string;
  /** A dist-git checkout with its sources downloaded (spec, `sources`, patches, tarballs). */
  readonly upstream: string;
  /** The folder to write the build's sources to (created). */
  readonly out: string;
}

/**
 * Renders a component for a build, as `overlays apply --config` does, and adds the upstream's downloaded
 * sources byte for byte. The overlay engine works on text (tarballs are not part of a rendered tree), so it
 * is given a copy of the upstream folder without the files the `sources` file names and without any file that
 * is not UTF-8; those are copied into `out` unchanged after the render.
 */
export function renderForBuild(options: RenderForBuildOptions): RenderedTree {
  const binary = binaryFiles(options.upstream);
  const textOnly = mkdtempSync(join(tmpdir(), 'azl-render-'));
  try {
    for (const path of listFiles(options.upstream)) {
      if (binary.has(path)) continue;
      mkdirSync(join(textOnly, path, '..'), { recursive: true });
      copyFileSync(join(options.upstream, path), join(textOnly, path));
    }
    mkdirSync(options.out, { recursive: true });
    const rendered = applyOverlays({ ...options, upstream: textOnly });
    for (const path of binary) {
      mkdirSync(join(options.out, path, '..'), { recursive: true });
      copyFileSync(join(options.upstream, path), join(options.out, path));
    }
    return rendered;
  } finally {
    rmSync(textOnly, { recursive: true, force: true });
  }
}

/** The downloads named by the `sources` file that are present, and every other file that is not UTF-8. */
function binaryFiles(upstream: string): Set<string> {
  const files = listFiles(upstream);
  const binary = new Set<string>();
  if (files.includes('sources')) {
    const entries = parseSourcesFile(
      readFileSync(join(upstream, 'sources'), 'utf8'),
      join(upstream, 'sources'),
    );
    for (const entry of entries) if (files.includes(entry.filename)) binary.add(entry.filename);
  }
  const utf8 = new TextDecoder('utf-8', { fatal: true });
  for (const path of files) {
    if (binary.has(path)) continue;
    try {
      utf8.decode(readFileSync(join(upstream, path)));
    } catch {
      binary.add(path);
    }
  }
  return binary;
}

/** Regular files under `root` (`.git/` skipped), as POSIX paths relative to it. */
function listFiles(root: string): string[] {
  const files: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory() && entry.name !== '.git') walk(path);
      else if (entry.isFile() && statSync(path).isFile())
        files.push(relative(root, path).split(sep).join('/'));
    }
  };
  walk(root);
  return files.sort();
}
