import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { projectRoot } from '../infra/os/project-paths';
import { runBenchmark } from './main';
import { measurePageBlobUpload } from './page-blob-upload';
import { measureVhdWrite } from './vhd-write';

/**
 * `npm run bench:images [rounds]`: only the image steps of `npm run bench` (the fixed VHD writer against
 * `qemu-img convert`, the sparse page blob upload against all pages, the resume after a kill; all on a 5 GiB
 * disk holding 1 GiB), printed and written to bench/results/images.json.
 */
async function run(): Promise<void> {
  const rounds = Number(process.argv[2]) || undefined;
  const vhdWrite = await measureVhdWrite(rounds);
  process.stdout.write(`vhd write: ${JSON.stringify(vhdWrite)}\n`);
  const pageBlobUpload = await measurePageBlobUpload();
  process.stdout.write(`page blob upload: ${JSON.stringify(pageBlobUpload)}\n`);
  const machine = { node: process.version, cpus: cpus().length, cpuModel: cpus()[0]?.model ?? 'unknown' };
  const text = `${JSON.stringify({ measuredAt: new Date().toISOString(), machine, vhdWrite, pageBlobUpload }, null, 2)}\n`;
  const dir = join(projectRoot(), 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'images.json'), text);
  process.stdout.write(`written to ${join(dir, 'images.json')}\n`);
}

runBenchmark(run);
