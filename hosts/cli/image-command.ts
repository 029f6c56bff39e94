import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { loadDistroTree } from '../../shared/distro/load';
import type { Progress } from '../../shared/progress';
import { FsDistroFiles } from '../../infra/distro/fs-distro-files';
import type { ImageRepositorySource } from '../../infra/images/dnf-installroot';
import { buildableImage } from '../../infra/images/tree-buildable-images';
import { buildLocalImage } from '../../infra/images/local-image-builder';
import { pipelineVersion } from '../../infra/os/project-paths';
import { runJsonCommand } from './json-output';
import { progressFor } from './progress-choice';

interface ImageBuildOptions {
  config: string;
  image: string;
  repo: ImageRepositorySource[];
  arch: string;
  allowMissing: boolean;
  imageVersion?: string;
  out: string;
  workDir?: string;
}

/**
 * `--repo [<id>=]<url>`: a published repository. Its id is what the manifest names it by; without one, the
 * URL's last two path segments, which are `<channel>/<arch>` for the pipeline's repositories
 * (`…/repos/base/x86_64`).
 */
export function parseRepoOption(
  value: string,
  previous: ImageRepositorySource[] = [],
): ImageRepositorySource[] {
  const match = /^([^=:/]+(?:\/[^=:/]+)*)=(.+)$/.exec(value);
  const baseUrl = match ? match[2]! : value;
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new InvalidArgumentError(`expected [<id>=]<url>, and ${JSON.stringify(baseUrl)} is not a URL`);
  }
  const id = match ? match[1]! : url.pathname.split('/').filter(Boolean).slice(-2).join('/') || url.host;
  return [...previous, { id, baseUrl }];
}

/**
 * The `image` command group. `image build --config <dir> --image <name> --repo <url>… --out <dir>` builds the
 * tree's image locally (`infra/images/local-image-builder.ts`: dnf, mkfs.ext4, mkfs.vfat, mtools; no Azure,
 * no mount) from the given repositories instead of the description's, and writes `<name>-<version>.vhd`,
 * `manifest.json` and `sbom.spdx.json` to `--out`. Prints one JSON summary on stdout; progress goes to
 * stderr. Failures print `{"error":{code,message,...}}` and exit 1 (`image.missing-packages` lists the
 * absent names in `missing`, space-separated). More subcommands attach to the returned group.
 */
export function registerImageCommand(program: Command, setExitCode: (code: number) => void): Command {
  const image = program
    .command('image')
    .description('preview VM images: build them from the repositories, publish them');
  image
    .command('build')
    .description('build an image of the distro tree locally into a fixed VHD with its manifest and SBOM')
    .requiredOption('--config <dir>', 'the distro tree (folder of azldev.toml)')
    .requiredOption('--image <name>', 'the image (an [images.<name>] entry of the tree)')
    .requiredOption(
      '--repo <[id=]url>',
      "a repository to install from, replacing the description's (repeatable; id default: the URL's last two segments)",
      parseRepoOption,
    )
    .requiredOption('--out <dir>', 'where the VHD, manifest.json and sbom.spdx.json go')
    .option('--arch <arch>', 'the architecture to build for', 'x86_64')
    .option(
      '--allow-missing',
      "leave out requested packages no repository has (the manifest lists them); default: the image entry's allow-missing",
      false,
    )
    .option(
      '--image-version <version>',
      "the image's version (default: the description's <version>, else 0.0.0)",
    )
    .option(
      '--work-dir <dir>',
      'keep the staged root and partition images here (default: a temporary folder)',
    )
    .action(async (options: ImageBuildOptions, command: Command) => {
      const progress = await progressFor(command, 'azl-rebuilder image build', { outputWhileWorking: false });
      setExitCode(await runJsonCommand('image build', () => runImageBuild(options, progress)));
    });
  return image;
}

export async function runImageBuild(options: ImageBuildOptions, progress: Progress): Promise<unknown> {
  const tree = loadDistroTree(new FsDistroFiles(), resolve(options.config));
  const image = await buildableImage(tree, options.image, options.arch);
  const { definition } = image;
  const workDir =
    options.workDir !== undefined ? resolve(options.workDir) : await mkdtemp(join(tmpdir(), 'azl-image-'));
  try {
    const result = await buildLocalImage({
      definition,
      description: image.description,
      repositories: options.repo,
      image: { name: options.image, version: options.imageVersion ?? definition.version ?? '0.0.0' },
      workDir,
      outDir: resolve(options.out),
      // The flag forces it on; without it the image entry's `allow-missing` decides.
      allowMissing: options.allowMissing || image.allowMissing,
      builderVersion: pipelineVersion(),
      progress,
    });
    const { manifest } = result;
    return {
      image: manifest.image.name,
      version: manifest.image.version,
      fingerprint: manifest.fingerprint,
      vhd: result.vhdPath,
      manifest: result.manifestPath,
      sbom: result.sbomPath,
      sha256: manifest.vhd.sha256,
      sizes: manifest.sizes,
      packages: manifest.packages.length,
      missing: manifest.requested.missing,
      kernels: result.kernels,
      warnings: result.warnings,
      repositories: manifest.repositories,
    };
  } finally {
    if (options.workDir === undefined) await rm(workDir, { recursive: true, force: true });
  }
}
