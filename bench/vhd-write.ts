import { randomFillSync } from 'node:crypto';
import { mkdtempSync, openSync, closeSync, writeSync, ftruncateSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeFixedVhd, writeRawDisk } from '../infra/images/disk-image-writer';
import { wholeFile } from '../infra/images/file-data-extents';
import type { DiskImagePlan } from '../infra/images/disk-image-writer';
import { buildGpt } from '../shared/images/disk';
import { run, runForStatus } from '../testing/images/disk-tools';
import { round } from '../testing/measure';
import { timedWithCpu } from './cpu-time';
import type { WallAndCpu } from './cpu-time';

/**
 * Writing a fixed VHD of Azure Linux's size (`vm-base.kiwi`: 5 GiB, a 200 MiB ESP) holding about 1 GiB of
 * data: our writer, from the partition images, against `qemu-img convert -O vpc -o subformat=fixed,force_size=on`
 * of the same disk as a raw file (what kiwi does). Both inputs are sparse files and neither side syncs, so
 * this is the cost of reading the input and writing the data, mostly out of the page cache.
 *
 * The two alternate, each round in the other order, and before each run the file system is synced outside
 * the timing, so neither inherits the other's dirty pages (whose write-back otherwise stalls whoever writes
 * next by seconds on a busy machine). Medians of wall time and of CPU time (ours: this process and its
 * `qemu-img map` children; theirs: the `qemu-img convert` process) are reported with every round's figure.
 */
export interface VhdWriteFigures {
  diskBytes: number;
  dataBytes: number;
  rounds: number;
  /**
   * `writeFixedVhd`: GPT, the data extents of the partition images (`qemu-img map`, zero blocks skipped),
   * footer; median wall time of the rounds.
   */
  oursMs: number;
  /** `qemu-img convert` of the raw disk to a fixed VHD; median wall time of the rounds. */
  qemuImgMs: number;
  /** oursMs / qemuImgMs: below 1 is faster. */
  ratio: number;
  /** Median CPU time (user + system) of the rounds. */
  oursCpuMs: number;
  qemuImgCpuMs: number;
  /** oursCpuMs / qemuImgCpuMs. */
  cpuRatio: number;
  /** Rounds in which ours took less wall time than qemu-img. */
  oursFasterRounds: number;
  /** Every round's wall time, in order. */
  oursRoundsMs: number[];
  qemuImgRoundsMs: number[];
  /**
   * The root image given as `movable` (a temporary the VHD may be made of): renamed and shifted into place
   * with `fallocate --insert-range` instead of copied; only the ESP's data is copied.
   */
  moved: {
    ms: number;
    cpuMs: number;
    /** ms / qemuImgMs. */
    ratio: number;
    fasterRounds: number;
    roundsMs: number[];
    bytesMoved: number;
    /** `qemu-img compare` with qemu-img's VHD. */
    identical: boolean;
  };
  /** The same writer reading the partition images whole (holes included), as without qemu-img; median. */
  oursWholeFilesMs: number;
  /** Bytes our writer wrote (the data, the GPT, the footer). */
  oursBytesWritten: number;
  /** Disk space the two VHDs take (allocated blocks): both stay sparse. */
  oursAllocatedBytes: number;
  qemuImgAllocatedBytes: number;
  /** `qemu-img compare` of the two VHDs: the same disk. */
  identical: boolean;
}

const MIB = 1024 * 1024;
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;

/** A sparse file of `size` bytes with `dataBytes` of random data spread over it in 4 MiB pieces. */
function sparseImage(path: string, size: number, dataBytes: number): void {
  const piece = Buffer.alloc(4 * MIB);
  randomFillSync(piece);
  const pieces = Math.round(dataBytes / piece.length);
  const stride = Math.floor(size / pieces / MIB) * MIB;
  const fd = openSync(path, 'w');
  try {
    ftruncateSync(fd, size);
    for (let i = 0; i < pieces; i++) writeSync(fd, piece, 0, piece.length, i * stride);
  } finally {
    closeSync(fd);
  }
}

export async function measureVhdWrite(rounds = 7, dataBytes = 1024 * MIB): Promise<VhdWriteFigures> {
  const dir = mkdtempSync(join(tmpdir(), 'azl-bench-vhd-'));
  try {
    const gpt = buildGpt({
      diskSize: 5 * 1024 * MIB,
      architecture: 'x86_64',
      diskGuid: '6E0B3A9C-2F4D-4B8E-9A1C-0D2E3F405162',
      partitions: [
        { name: 'ESP', type: 'esp', size: 200 * MIB, guid: 'A1B2C3D4-E5F6-4708-9A0B-1C2D3E4F5061' },
        { name: 'root', type: 'linux-root', size: 'rest', guid: '11223344-5566-4778-899A-ABBCCDDEEFF0' },
      ],
    });
    const [esp, root] = gpt.layout.partitions;
    const espImage = join(dir, 'esp.img');
    const rootImage = join(dir, 'root.img');
    sparseImage(espImage, esp!.size, 8 * MIB);
    sparseImage(rootImage, root!.size, dataBytes - 8 * MIB);
    const plan: DiskImagePlan = {
      gpt,
      contents: [
        { partition: 'ESP', imagePath: espImage },
        { partition: 'root', imagePath: rootImage },
      ],
    };
    const raw = join(dir, 'disk.raw');
    await writeRawDisk(raw, plan);
    const ours = join(dir, 'ours.vhd');
    const qemu = join(dir, 'qemu.vhd');
    const footer = { createdAt: new Date(), uniqueId: '0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0' };
    let oursBytesWritten = 0;
    const runOurs = async () => {
      oursBytesWritten = (await writeFixedVhd(ours, plan, footer)).bytesWritten;
    };
    const runQemuImg = () => {
      run('qemu-img', [
        'convert',
        '-f',
        'raw',
        '-O',
        'vpc',
        '-o',
        'subformat=fixed,force_size=on',
        raw,
        qemu,
      ]);
    };
    // The moved variant consumes its root image: each round moves a fresh sparse copy (made untimed).
    const moved = join(dir, 'moved.vhd');
    const movableRoot = join(dir, 'root-movable.img');
    const movedPlan: DiskImagePlan = {
      gpt,
      contents: [
        { partition: 'ESP', imagePath: espImage },
        { partition: 'root', imagePath: movableRoot, movable: true },
      ],
    };
    let bytesMoved = 0;
    const runMoved = async () => {
      bytesMoved = (await writeFixedVhd(moved, movedPlan, footer)).bytesMoved;
    };
    const measureOnce = async (target: string, work: () => Promise<void> | void): Promise<WallAndCpu> => {
      rmSync(target, { force: true });
      if (target === moved) run('cp', ['--sparse=always', rootImage, movableRoot]);
      run('sync', []);
      return timedWithCpu(work);
    };
    const variants = [
      { target: ours, work: runOurs, runs: [] as WallAndCpu[] },
      { target: qemu, work: runQemuImg, runs: [] as WallAndCpu[] },
      { target: moved, work: runMoved, runs: [] as WallAndCpu[] },
    ];
    for (let i = 0; i < rounds; i++) {
      // Each round in another order, so that none always runs first or after the same one.
      for (let k = 0; k < variants.length; k++) {
        const variant = variants[(i + k) % variants.length]!;
        variant.runs.push(await measureOnce(variant.target, variant.work));
      }
    }
    const [oursRuns, qemuRuns, movedRuns] = variants.map((v) => v.runs) as [
      WallAndCpu[],
      WallAndCpu[],
      WallAndCpu[],
    ];
    const identicalTo = (vhd: string) =>
      runForStatus('qemu-img', ['compare', '-f', 'vpc', '-F', 'vpc', vhd, qemu]).status === 0;
    const identical = identicalTo(ours);
    const movedIdentical = identicalTo(moved);
    const oursAllocatedBytes = statSync(ours).blocks * 512;
    const qemuImgAllocatedBytes = statSync(qemu).blocks * 512;
    for (const file of [qemu, moved, ours]) rmSync(file, { force: true });
    const whole = join(dir, 'whole.vhd');
    const wholeRuns: WallAndCpu[] = [];
    for (let i = 0; i < Math.min(rounds, 3); i++) {
      wholeRuns.push(
        await measureOnce(whole, async () => {
          await writeFixedVhd(whole, { ...plan, dataExtents: wholeFile }, footer);
        }),
      );
    }
    const wall = (runs: WallAndCpu[]) => runs.map((r) => round(r.wallMs, 1));
    const wallMedian = (runs: WallAndCpu[]) => median(runs.map((r) => r.wallMs));
    const cpuMedian = (runs: WallAndCpu[]) => median(runs.map((r) => r.cpuMs));
    const qemuMedian = wallMedian(qemuRuns);
    return {
      diskBytes: gpt.layout.diskSize,
      dataBytes,
      rounds,
      oursMs: round(wallMedian(oursRuns), 1),
      qemuImgMs: round(qemuMedian, 1),
      ratio: round(wallMedian(oursRuns) / qemuMedian, 2),
      oursCpuMs: round(cpuMedian(oursRuns), 1),
      qemuImgCpuMs: round(cpuMedian(qemuRuns), 1),
      cpuRatio: round(cpuMedian(oursRuns) / cpuMedian(qemuRuns), 2),
      oursFasterRounds: oursRuns.filter((r, i) => r.wallMs < qemuRuns[i]!.wallMs).length,
      oursRoundsMs: wall(oursRuns),
      qemuImgRoundsMs: wall(qemuRuns),
      moved: {
        ms: round(wallMedian(movedRuns), 1),
        cpuMs: round(cpuMedian(movedRuns), 1),
        ratio: round(wallMedian(movedRuns) / qemuMedian, 3),
        fasterRounds: movedRuns.filter((r, i) => r.wallMs < qemuRuns[i]!.wallMs).length,
        roundsMs: wall(movedRuns),
        bytesMoved,
        identical: movedIdentical,
      },
      oursWholeFilesMs: round(median(wholeRuns.map((r) => r.wallMs)), 1),
      oursBytesWritten,
      oursAllocatedBytes,
      qemuImgAllocatedBytes,
      identical,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
