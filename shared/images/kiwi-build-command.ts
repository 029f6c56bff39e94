import { PipelineError } from '../errors';
import type { ImageRepository } from './manifest';

/**
 * The kiwi-ng command line of a cloud image build: kiwi-ng's one-step `system build` on the image's real
 * description, with the description's `<repository>` entries ignored and the pipeline's published
 * repositories added instead (the same replacement the local builder makes, shared/images/fingerprint.ts):
 *
 *   kiwi-ng [--profile=<p>]... system build --description <dir> --target-dir <out> --ignore-repos
 *     --add-repo <baseUrl>,rpm-md,<alias>,<priority>...
 *
 * `--add-repo` is `source,type,alias,priority,...` split on commas (kiwi's CLI), so a URL holding a comma is
 * refused rather than cut. The alias is the repository id made a dnf repo id (`base/x86_64` →
 * `azl-base-x86_64`: dnf ids have no `/`); priorities follow the order given, 1 first (dnf prefers lower).
 * `--profile` is a global option and so comes before `system build`.
 */
export interface KiwiBuildCommandInput {
  /** The folder holding the image's `.kiwi` description (and its config.sh, root/ overlay, ...). */
  readonly descriptionDir: string;
  /** Where kiwi-ng writes `build/image-root` and the result files. */
  readonly targetDir: string;
  readonly profiles: readonly string[];
  /** In priority order. */
  readonly repositories: readonly ImageRepository[];
}

export const KIWI_COMMAND = 'kiwi-ng';

export function kiwiBuildCommand(input: KiwiBuildCommandInput): string[] {
  const addRepos = input.repositories.flatMap((repository, index) => {
    if (repository.baseUrl.includes(',')) {
      throw PipelineError.permanent(
        'image.repository-url-invalid',
        `repository ${repository.repository}: kiwi-ng --add-repo cannot take a URL with a comma: ${repository.baseUrl}`,
        { repository: repository.repository, baseUrl: repository.baseUrl },
      );
    }
    return [
      '--add-repo',
      `${repository.baseUrl},rpm-md,${kiwiRepoAlias(repository.repository)},${index + 1}`,
    ];
  });
  return [
    KIWI_COMMAND,
    ...input.profiles.map((profile) => `--profile=${profile}`),
    'system',
    'build',
    '--description',
    input.descriptionDir,
    '--target-dir',
    input.targetDir,
    '--ignore-repos',
    ...addRepos,
  ];
}

/** `base/x86_64` → `azl-base-x86_64`: letters, digits, `-`, `_` and `.` kept, anything else a `-`. */
export function kiwiRepoAlias(repositoryId: string): string {
  return `azl-${repositoryId.replace(/[^\w.-]/g, '-')}`;
}
