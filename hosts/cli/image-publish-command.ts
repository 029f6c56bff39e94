import type { Command } from 'commander';
import { defaultDataDir } from '../../infra/os/project-paths';
import type { ImagePublishOptions } from './image-publish-run';

/**
 * `image publish <vhd> --image <name> [--version <v>] [--manifest <file>] [--sbom <file>] (--local | --storage
 * <connection string>)`: publishes a fixed VHD built elsewhere (`image build`) with the pipeline's own image
 * publisher, straight to storage (not through the API): the VHD as a page blob of the `images` container, its
 * manifest and SBOM beside it, its build record in `imagebuilds`. `--local` uses the storage of the local
 * pipeline (`<data dir>/endpoints.json`). Prints the outcome and URLs as JSON; sends no event (no Service Bus),
 * as `repo publish`.
 */
export function registerImagePublishCommand(image: Command, setExitCode: (code: number) => void): void {
  image
    .command('publish')
    .description('publish a fixed VHD, its manifest and SBOM as an image version in Blob Storage')
    .argument('<vhd>', 'the fixed VHD file')
    .requiredOption('--image <name>', 'the image name')
    .option('--version <version>', "the image version (default: the manifest's)")
    .option('--manifest <file>', 'the manifest (default: manifest.json beside the VHD)')
    .option('--sbom <file>', 'the SPDX 2.3 JSON SBOM (default: made from the manifest)')
    .option('--local', 'publish into the local pipeline started with `azl-rebuilder start`', false)
    .option('--data-dir <dir>', "the local pipeline's data folder (with --local)", defaultDataDir())
    .option('--storage <connection string>', 'the storage account to publish into (instead of --local)')
    .action(async (vhd: string, options: ImagePublishOptions, command: Command) => {
      if (options.local === Boolean(options.storage))
        command.error('image publish needs exactly one of --local and --storage <connection string>');
      // Loaded when it runs: the storage SDKs are most of the CLI's start-up otherwise.
      const { runImagePublish } = await import('./image-publish-run');
      setExitCode(await runImagePublish(vhd, options));
    });
}
