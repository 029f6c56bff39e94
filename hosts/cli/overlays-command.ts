import type { Command } from 'commander';
import { describeError, PipelineError } from '../../shared/errors';
import { applyOverlays } from '../../infra/overlays/apply-overlays';
import { isOverlayDrift } from '../../shared/overlays/drift';

/**
 * `azl-rebuilder overlays apply --config <dir> --component <name> --upstream <dir> --out <dir>`: renders one
 * component's upstream folder with the overlays of its effective config (distro tree), as azldev does, into
 * `--out`. `--overlays <comp.toml|json>` instead reads one component file alone (no defaults merged).
 * Exit code: 3 when an overlay no longer applies (`isOverlayDrift`: drift, a spanning conditional, a broken spec), 1 on any other error, 0 on success.
 * Errors go to stderr as one line of text followed by the PipelineError as JSON.
 */
export function registerOverlaysCommand(program: Command, setExitCode: (code: number) => void): void {
  const overlays = program.command('overlays').description('component overlays (azldev semantics)');
  overlays
    .command('apply')
    .description("render a component's upstream sources with its overlays")
    .option('--config <dir>', 'the distro tree (folder of azldev.toml); uses the effective config')
    .option('--overlays <file>', "or: the component's *.comp.toml (or JSON with an overlays array) alone")
    .requiredOption('--component <name>', 'component name (the [components.<name>] table)')
    .requiredOption('--upstream <dir>', 'upstream sources folder (dist-git checkout)')
    .requiredOption('--out <dir>', 'folder to write the rendered sources to')
    .action(
      async (options: {
        config?: string;
        overlays?: string;
        component: string;
        upstream: string;
        out: string;
      }) => {
        setExitCode(await runOverlaysApply(options));
      },
    );
}

export async function runOverlaysApply(options: {
  config?: string;
  overlays?: string;
  component: string;
  upstream: string;
  out: string;
}): Promise<number> {
  try {
    const rendered = await applyOverlays(options);
    process.stdout.write(
      `${JSON.stringify({ component: options.component, spec: rendered.specPath, files: rendered.files.size, out: options.out })}\n`,
    );
    return 0;
  } catch (error) {
    process.stderr.write(`azl-rebuilder overlays apply: ${describeError(error)}\n`);
    if (PipelineError.is(error)) process.stderr.write(`${JSON.stringify(error)}\n`);
    return isOverlayDrift(error) ? 3 : 1;
  }
}
