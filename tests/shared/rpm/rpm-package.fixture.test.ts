import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { measureRpmHeader, readRpmPackage, SigTag, Tag } from '../../../shared/rpm';
import { fixturePath } from '../../../testing/fixtures/fixture-path';

const FIXTURE = fixturePath('repodata-example');

interface ExpectedPackage {
  file: string;
  name: string;
  epoch: number;
  version: string;
  release: string;
  arch: string;
  lead: { magic: string; major: number; minor: number; type: number };
  signature_header: {
    offset: number;
    index_entries: number;
    data_bytes: number;
    end: number;
    padding_to_8: number;
    tags: number[];
  };
  header_range: { start: number; end: number };
  header_index_entries: number;
  header_data_bytes: number;
  first_header_tag: number;
  payload: {
    offset: number;
    compressor: string;
    flags: string;
    format: string;
    uncompressed_size_sigtag_1007: number;
  };
  sig_sha256_of_header_tag_273: string;
  installed_size_tag_1009: number;
  buildtime_tag_1006: number;
  files_from_dirnames_basenames_dirindexes: string[];
  filemodes_octal: string[];
  raw_requires: { name: string; flags: number; version: string }[];
}

const expected = (
  JSON.parse(readFileSync(join(FIXTURE, 'expected-packages.json'), 'utf8')) as { packages: ExpectedPackage[] }
).packages;

describe('readRpmPackage on the fixture RPMs (expected-packages.json)', () => {
  for (const want of expected) {
    const bytes = new Uint8Array(readFileSync(join(FIXTURE, want.file)));

    it(`${want.name}: lead, signature header, header range`, () => {
      const pkg = readRpmPackage(bytes);
      expect(Buffer.from(bytes.subarray(0, 4)).toString('hex')).toBe(want.lead.magic);
      expect(pkg.layout.lead).toEqual({
        major: want.lead.major,
        minor: want.lead.minor,
        type: want.lead.type,
      });
      expect(pkg.layout.signature).toEqual({
        start: want.signature_header.offset,
        end: want.signature_header.end,
        indexEntries: want.signature_header.index_entries,
        dataBytes: want.signature_header.data_bytes,
        padding: want.signature_header.padding_to_8,
      });
      expect(pkg.signatureHeader.tags().sort((a, b) => a - b)).toEqual(want.signature_header.tags);
      expect(pkg.layout.header).toEqual({
        ...want.header_range,
        indexEntries: want.header_index_entries,
        dataBytes: want.header_data_bytes,
      });
      expect(pkg.header.tags()[0]).toBe(want.first_header_tag);
      expect(pkg.layout.header.end).toBe(want.payload.offset);
    });

    it(`${want.name}: NEVRA, sizes, payload tags and the header digest`, () => {
      const pkg = readRpmPackage(bytes);
      expect([pkg.name, pkg.epoch ?? 0, pkg.version, pkg.release, pkg.arch]).toEqual([
        want.name,
        want.epoch,
        want.version,
        want.release,
        want.arch,
      ]);
      expect(pkg.installedSize).toBe(want.installed_size_tag_1009);
      expect(pkg.buildTime).toBe(want.buildtime_tag_1006);
      expect(pkg.archiveSize).toBe(want.payload.uncompressed_size_sigtag_1007);
      expect(pkg.header.string(Tag.PAYLOADCOMPRESSOR)).toBe(want.payload.compressor);
      expect(pkg.header.string(Tag.PAYLOADFLAGS)).toBe(want.payload.flags);
      expect(pkg.header.string(Tag.PAYLOADFORMAT)).toBe(want.payload.format);
      expect(pkg.signatureHeader.string(SigTag.SHA256)).toBe(want.sig_sha256_of_header_tag_273);
      const headerBytes = bytes.subarray(pkg.layout.header.start, pkg.layout.header.end);
      expect(createHash('sha256').update(headerBytes).digest('hex')).toBe(want.sig_sha256_of_header_tag_273);
    });

    it(`${want.name}: files and raw requires`, () => {
      const pkg = readRpmPackage(bytes);
      expect(pkg.files.map((f) => f.path)).toEqual(want.files_from_dirnames_basenames_dirindexes);
      expect(pkg.files.map((f) => `0o${f.mode.toString(8)}`)).toEqual(want.filemodes_octal);
      expect(pkg.files.map((f) => f.dir)).toEqual(want.filemodes_octal.map((m) => m.startsWith('0o40')));
      expect(pkg.dependencies.requires.map(({ name, flags, version }) => ({ name, flags, version }))).toEqual(
        want.raw_requires,
      );
    });

    it(`${want.name}: the header alone (a ranged read) is enough, and shorter prefixes ask for more`, () => {
      const prefix = bytes.subarray(0, want.header_range.end);
      expect(readRpmPackage(prefix).name).toBe(want.name);
      expect(measureRpmHeader(bytes.subarray(0, 50))).toEqual({ complete: false, needBytes: 112 });
      expect(measureRpmHeader(bytes.subarray(0, 200))).toEqual({
        complete: false,
        needBytes: want.header_range.start + 16,
      });
      expect(measureRpmHeader(bytes.subarray(0, want.header_range.start + 16))).toEqual({
        complete: false,
        needBytes: want.header_range.end,
      });
    });
  }
});
