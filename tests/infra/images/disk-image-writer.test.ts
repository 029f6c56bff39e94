import {
  closeSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  statSync,
  truncateSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { appendVhdFooter, writeFixedVhd, writeRawDisk } from '../../../infra/images/disk-image-writer';
import type { DiskWriteProgress } from '../../../infra/images/disk-image-writer';
import { qemuImgDataExtents, wholeFile } from '../../../infra/images/file-data-extents';
import {
  buildGpt,
  ESP_TYPE_GUID,
  LINUX_ROOT_TYPE_GUIDS,
  parseVhdFooter,
  VHD_FOOTER_SIZE,
} from '../../../shared/images/disk';
import type { GptDiskSpec } from '../../../shared/images/disk';
import { failure } from '../../../testing/failures';
import {
  makeExt4Image,
  makeFatImage,
  qemuImgInfo,
  run,
  runForStatus,
  sfdiskJson,
} from '../../../testing/images/disk-tools';
import { tempDirForTest, useTempDir } from '../../../testing/temp-dirs';

const MIB = 1024 * 1024;
const DISK_SIZE = 64 * MIB;
const spec: GptDiskSpec = {
  diskSize: DISK_SIZE,
  architecture: 'x86_64',
  diskGuid: '6E0B3A9C-2F4D-4B8E-9A1C-0D2E3F405162',
  partitions: [
    { name: 'ESP', type: 'esp', size: 8 * MIB, guid: 'A1B2C3D4-E5F6-4708-9A0B-1C2D3E4F5061' },
    { name: 'root', type: 'linux-root', size: 'rest', guid: '11223344-5566-4778-899A-ABBCCDDEEFF0' },
  ],
};
const gpt = buildGpt(spec);
const [esp, root] = gpt.layout.partitions as [
  (typeof gpt.layout.partitions)[0],
  (typeof gpt.layout.partitions)[0],
];
const vhdOptions = {
  createdAt: new Date('2026-12-06T09:00:00Z'),
  uniqueId: '0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0',
};

describe('a 64 MiB disk from an ext4 root and a FAT ESP, as raw and as fixed VHD', () => {
  const dir = useTempDir('azl-disk-');
  const rootImage = join(dir, 'root.ext4');
  const espImage = join(dir, 'esp.fat');
  const plan = {
    gpt,
    contents: [
      { partition: 'root', imagePath: rootImage },
      { partition: 'ESP', imagePath: espImage },
    ],
  };
  const raw = join(dir, 'disk.raw');
  const vhd = join(dir, 'disk.vhd');
  let rawResult: Awaited<ReturnType<typeof writeRawDisk>>;
  let vhdResult: Awaited<ReturnType<typeof writeFixedVhd>>;

  beforeAll(async () => {
    const tree = join(dir, 'tree');
    mkdirSync(join(tree, 'etc'), { recursive: true });
    writeFileSync(join(tree, 'etc', 'os-release'), 'NAME="Azure Linux"\nVERSION_ID=4.0\n');
    mkdirSync(join(tree, 'usr', 'bin'), { recursive: true });
    writeFileSync(join(tree, 'usr', 'bin', 'hello'), '#!/bin/sh\necho hello\n');
    makeExt4Image(rootImage, root.size, { label: 'azurelinux', from: tree });
    makeFatImage(espImage, esp.size, { label: 'ESP', files: { '/EFI/BOOT/grub.cfg': 'set timeout=1\n' } });
    rawResult = await writeRawDisk(raw, plan);
    vhdResult = await writeFixedVhd(vhd, plan, vhdOptions);
  });

  it('writes both: the raw disk is the disk size, the VHD one footer longer', () => {
    expect(statSync(raw).size).toBe(DISK_SIZE);
    expect(statSync(vhd).size).toBe(DISK_SIZE + VHD_FOOTER_SIZE);
    expect(vhdResult).toEqual({
      diskSize: DISK_SIZE,
      fileSize: DISK_SIZE + VHD_FOOTER_SIZE,
      bytesWritten: rawResult.bytesWritten + VHD_FOOTER_SIZE,
      bytesMoved: 0,
    });
    expect(existsSync(`${vhd}.partial`)).toBe(false);
  });

  it('qemu-img reads the VHD as vpc with the virtual size of the disk, and finds it identical to the raw disk', () => {
    // With a creator qemu 7.2 does not know, it would size the disk by its CHS geometry: 67,055,616 bytes.
    expect(qemuImgInfo(vhd, 'vpc')).toMatchObject({ format: 'vpc', 'virtual-size': DISK_SIZE });
    expect(runForStatus('qemu-img', ['compare', '-f', 'raw', '-F', 'vpc', raw, vhd])).toEqual({
      status: 0,
      stdout: 'Images are identical.\n',
      stderr: '',
    });
    const footer = parseVhdFooter(new Uint8Array(readFileSync(vhd).subarray(DISK_SIZE)));
    expect(footer).toMatchObject({ currentSize: DISK_SIZE, diskType: 2, uniqueId: vhdOptions.uniqueId });
  });

  it('sfdisk reads the GPT back: labels, types, GUIDs, 1 MiB aligned, and --verify finds no problem', () => {
    const table = sfdiskJson(raw);
    expect(table).toMatchObject({
      label: 'gpt',
      id: spec.diskGuid,
      firstlba: 34,
      lastlba: 131038,
      sectorsize: 512,
    });
    expect(
      table.partitions.map(({ start, size, type, uuid, name }) => ({ start, size, type, uuid, name })),
    ).toEqual([
      { start: 2048, size: 8 * 2048, type: ESP_TYPE_GUID, uuid: spec.partitions[0]!.guid, name: 'ESP' },
      {
        start: 9 * 2048,
        size: 54 * 2048,
        type: LINUX_ROOT_TYPE_GUIDS.x86_64,
        uuid: spec.partitions[1]!.guid,
        name: 'root',
      },
    ]);
    for (const partition of table.partitions) expect(partition.start % 2048).toBe(0);
    // A damaged primary or backup GPT still verifies ("No errors detected") with a warning on stderr.
    const verify = runForStatus('sfdisk', ['--verify', raw]);
    expect(verify).toMatchObject({ status: 0, stderr: '' });
    expect(verify.stdout).toContain('No errors detected.');
    expect(verify.stdout).toContain('Using 2 out of 128 partitions.');
  });

  it('the root file system reads back in place: debugfs lists and reads its files, fsck.ext4 -n finds it clean', () => {
    const inPlace = `${raw}?offset=${root.offset}`;
    expect(run('debugfs', ['-R', 'ls -p /etc', inPlace])).toContain('os-release');
    expect(run('debugfs', ['-R', 'cat /usr/bin/hello', inPlace])).toBe('#!/bin/sh\necho hello\n');
    const extracted = join(dir, 'root-extracted.ext4');
    run('dd', [
      `if=${raw}`,
      `of=${extracted}`,
      'bs=1M',
      `skip=${root.offset / MIB}`,
      `count=${root.size / MIB}`,
      'status=none',
    ]);
    expect(runForStatus('fsck.ext4', ['-n', '-f', extracted])).toMatchObject({ status: 0 });
    expect(run('e2label', [extracted])).toBe('azurelinux\n');
  });

  it('the ESP reads back in place with mtools', () => {
    expect(run('mtype', ['-i', `${raw}@@${esp.offset}`, '::/EFI/BOOT/grub.cfg'])).toBe('set timeout=1\n');
  });

  it('stays sparse: only the data is allocated, and only data is counted as written', () => {
    // mkfs.ext4 and mkfs.vfat write some metadata; the 64 MiB disk holds well under 8 MiB of it.
    expect(rawResult.bytesWritten).toBeLessThan(8 * MIB);
    expect(statSync(vhd).blocks * 512).toBeLessThan(8 * MIB);
  });

  it('turns the raw disk into the same VHD by appending the footer', async () => {
    const copy = join(dir, 'appended.vhd');
    copyFileSync(raw, copy);
    await appendVhdFooter(copy, vhdOptions);
    expect(readFileSync(copy).equals(readFileSync(vhd))).toBe(true);
  });
});

describe('what the writer copies of a partition image', () => {
  const small: GptDiskSpec = {
    ...spec,
    diskSize: 16 * MIB,
    partitions: [{ ...spec.partitions[1]!, size: 'rest' }],
  };

  it('writes the non-zero 4 KiB blocks and nothing else, each at its place in the partition', async () => {
    const dir = tempDirForTest('azl-disk-');
    const image = join(dir, 'data.img');
    // The writer reads 4 MiB chunks: a piece across the first boundary, a whole-zero third chunk, a short end.
    const content = Buffer.alloc(12 * MIB + 100);
    content.write('first', 0);
    content.write('middle', 300 * 1024 + 17);
    content.write('across', 4 * MIB - 3);
    content.write('tail', 12 * MIB + 90);
    writeFileSync(image, content);
    const disk = join(dir, 'disk.raw');
    const smallGpt = buildGpt(small);
    const progress: DiskWriteProgress[] = [];
    const result = await writeRawDisk(disk, {
      gpt: smallGpt,
      contents: [{ partition: 'root', imagePath: image }],
      onProgress: (step) => progress.push(step),
      dataExtents: wholeFile,
    });
    const gptBytes = smallGpt.regions[0].bytes.length + smallGpt.regions[1].bytes.length;
    expect(result.bytesWritten - gptBytes).toBe(4 * 4096 + 100);
    const offset = smallGpt.layout.partitions[0]!.offset;
    const written = readFileSync(disk).subarray(offset, offset + content.length);
    expect(written.equals(content)).toBe(true);
    expect(progress).toEqual(
      [4 * MIB, 8 * MIB, 12 * MIB, 12 * MIB + 100].map((bytesDone) => ({
        bytesDone,
        bytesTotal: content.length,
      })),
    );
  });

  it('reads only the data extents it is given: what lies outside them is taken for a hole', async () => {
    const dir = tempDirForTest('azl-disk-');
    const image = join(dir, 'data.img');
    const content = Buffer.alloc(2 * MIB);
    content.write('outside', 100);
    content.write('inside', MIB + 100);
    writeFileSync(image, content);
    const disk = join(dir, 'disk.raw');
    const smallGpt = buildGpt(small);
    const progress: DiskWriteProgress[] = [];
    await writeRawDisk(disk, {
      gpt: smallGpt,
      contents: [{ partition: 'root', imagePath: image }],
      dataExtents: () => Promise.resolve([{ start: MIB, length: 4096 }]),
      onProgress: (step) => progress.push(step),
    });
    const offset = smallGpt.layout.partitions[0]!.offset;
    const written = readFileSync(disk).subarray(offset, offset + content.length);
    expect(written.indexOf('outside')).toBe(-1);
    expect(written.indexOf('inside')).toBe(MIB + 100);
    expect(progress.map((step) => step.bytesDone)).toEqual([MIB + 4096, 2 * MIB]);
  });

  it('finds the data extents of a sparse file with qemu-img map, and falls back to the whole file without it', async () => {
    const dir = tempDirForTest('azl-disk-');
    const image = join(dir, 'sparse.img');
    writeFileSync(image, '');
    truncateSync(image, 20 * MIB);
    const fd = openSync(image, 'r+');
    writeSync(fd, Buffer.from('data'), 0, 4, 5 * MIB + 7);
    closeSync(fd);
    const extents = await qemuImgDataExtents()(image, 20 * MIB);
    expect(extents.length).toBeGreaterThan(0);
    for (const extent of extents) {
      // The file system decides the granularity; the data is inside, most of the file is not.
      expect(extent.length).toBeLessThan(MIB);
    }
    expect(extents.some((e) => e.start <= 5 * MIB + 7 && e.start + e.length >= 5 * MIB + 11)).toBe(true);
    expect(await qemuImgDataExtents('/nonexistent/qemu-img')(image, 20 * MIB)).toEqual([
      { start: 0, length: 20 * MIB },
    ]);
  });

  it('refuses an image larger than its partition and leaves no file behind', async () => {
    const dir = tempDirForTest('azl-disk-');
    const image = join(dir, 'big.img');
    writeFileSync(image, Buffer.alloc(14 * MIB + 1));
    const path = join(dir, 'disk.vhd');
    const error = await failure(
      writeFixedVhd(
        path,
        { gpt: buildGpt(small), contents: [{ partition: 'root', imagePath: image }] },
        vhdOptions,
      ),
    );
    expect(error.code).toBe('image.partition-image-too-large');
    expect(error.context).toMatchObject({
      partition: 'root',
      imageSize: 14 * MIB + 1,
      partitionSize: 14 * MIB,
    });
    expect(existsSync(path) || existsSync(`${path}.partial`)).toBe(false);
  });

  it('refuses content for a partition the disk does not have', async () => {
    const dir = tempDirForTest('azl-disk-');
    const image = join(dir, 'x.img');
    writeFileSync(image, 'x');
    const error = await failure(
      writeRawDisk(join(dir, 'disk.raw'), {
        gpt: buildGpt(small),
        contents: [{ partition: 'boot', imagePath: image }],
      }),
    );
    expect(error.code).toBe('image.disk-layout-invalid');
  });
});

describe('a movable partition image', () => {
  /** A sparse 40 MiB root image with data at both ends and in the middle, and a small ESP image. */
  function images(dir: string): { root: string; esp: string; rootBytes: Buffer } {
    const rootPath = join(dir, 'root.img');
    writeFileSync(rootPath, '');
    truncateSync(rootPath, 40 * MIB);
    const fd = openSync(rootPath, 'r+');
    for (const [text, at] of [
      ['root-start', 0],
      ['root-middle', 17 * MIB + 5],
      ['root-end', 40 * MIB - 8],
    ] as const) {
      writeSync(fd, Buffer.from(text), 0, text.length, at);
    }
    closeSync(fd);
    const espPath = join(dir, 'esp.img');
    writeFileSync(espPath, Buffer.concat([Buffer.from('esp-start'), Buffer.alloc(MIB)]));
    return { root: rootPath, esp: espPath, rootBytes: readFileSync(rootPath) };
  }
  const planOf = (root: string, esp: string, movable: boolean) => ({
    gpt,
    contents: [
      { partition: 'ESP', imagePath: esp },
      { partition: 'root', imagePath: root, movable },
    ],
  });

  it('becomes the VHD without being copied: the same file as a copy gives, the image gone, its bytes counted as moved', async () => {
    const dir = tempDirForTest('azl-disk-');
    mkdirSync(join(dir, 'copied'));
    const copied = images(join(dir, 'copied'));
    const copiedVhd = join(dir, 'copied.vhd');
    const copy = await writeFixedVhd(copiedVhd, planOf(copied.root, copied.esp, false), vhdOptions);
    expect(copy.bytesMoved).toBe(0);

    mkdirSync(join(dir, 'moved'));
    const moved = images(join(dir, 'moved'));
    const movedVhd = join(dir, 'moved.vhd');
    const progress: DiskWriteProgress[] = [];
    const result = await writeFixedVhd(
      movedVhd,
      { ...planOf(moved.root, moved.esp, true), onProgress: (step) => progress.push(step) },
      vhdOptions,
    );
    expect(result.bytesMoved).toBe(40 * MIB);
    expect(result.bytesWritten).toBeLessThan(copy.bytesWritten);
    expect(readFileSync(movedVhd).equals(readFileSync(copiedVhd))).toBe(true);
    const inPlace = readFileSync(movedVhd).subarray(root.offset, root.offset + 40 * MIB);
    expect(inPlace.equals(moved.rootBytes)).toBe(true);
    expect(existsSync(moved.root)).toBe(false);
    expect(existsSync(moved.esp)).toBe(true);
    expect(progress.at(-1)).toEqual({ bytesDone: 40 * MIB + MIB + 9, bytesTotal: 40 * MIB + MIB + 9 });
    // Still sparse: the moved image's holes stayed holes.
    expect(statSync(movedVhd).blocks * 512).toBeLessThan(4 * MIB);
    expect(runForStatus('qemu-img', ['compare', '-f', 'vpc', '-F', 'vpc', copiedVhd, movedVhd]).status).toBe(
      0,
    );
  });

  it('is copied and left in place when it cannot be moved: another file system, or one without insert-range', async () => {
    // /dev/shm is tmpfs: from there to the test folder is another file system, and tmpfs has no insert-range.
    const shm = mkdtempSync('/dev/shm/azl-disk-');
    try {
      const dir = tempDirForTest('azl-disk-');
      const expected = join(dir, 'expected.vhd');
      mkdirSync(join(dir, 'source'));
      const source = images(join(dir, 'source'));
      await writeFixedVhd(expected, planOf(source.root, source.esp, false), vhdOptions);

      for (const output of [join(dir, 'other-fs.vhd'), join(shm, 'no-insert-range.vhd')]) {
        const onShm = images(shm);
        const result = await writeFixedVhd(output, planOf(onShm.root, onShm.esp, true), vhdOptions);
        expect(result.bytesMoved).toBe(0);
        expect(existsSync(onShm.root)).toBe(true);
        expect(readFileSync(output).equals(readFileSync(expected))).toBe(true);
        rmSync(output);
      }
    } finally {
      rmSync(shm, { recursive: true, force: true });
    }
  });
});
