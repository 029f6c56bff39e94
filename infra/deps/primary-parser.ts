import { SaxesParser } from 'saxes';
import type { SaxesTagPlain } from 'saxes';
import { PipelineError } from '../../shared/errors';
import type { DepFlags } from '../../shared/deps/evr';
import type { BinaryPackageRecord, DepEntry, SourcePackageRecord } from '../../shared/deps/records';

/** Where parsed packages go; `DepsIndex` is one. Packages of arch `src` are sources, all others binaries. */
export interface PackageSink {
  addBinary(pkg: BinaryPackageRecord): void;
  addSource(pkg: SourcePackageRecord): void;
}

const FLAGS = new Set(['EQ', 'LT', 'GT', 'LE', 'GE']);
const TEXT_ELEMENTS = new Set(['name', 'arch', 'rpm:sourcerpm', 'file']);

/** A package while its elements are read: a binary record plus the requires (BuildRequires for `src`). */
type Draft = BinaryPackageRecord & { requires: DepEntry[] };

/**
 * A push parser for primary.xml: feed text chunks with `write`, then `close`. It keeps only the fields the
 * dependency index reads, one package at a time, so memory does not grow with the file. Syntax errors become
 * a permanent `deps.malformed` naming `file` and the line.
 */
export class PrimaryParser {
  private readonly sax = new SaxesParser({ position: true });
  private draft: Draft | undefined;
  private list: DepEntry[] | undefined;
  private text: string | undefined;
  packages = 0;

  constructor(
    private readonly sink: PackageSink,
    private readonly file: string,
  ) {
    this.sax.on('opentag', (tag) => this.open(tag as SaxesTagPlain));
    this.sax.on('text', (t) => {
      if (this.text !== undefined) this.text += t;
    });
    this.sax.on('closetag', (tag) => this.close(tag.name));
  }

  write(chunk: string): void {
    this.guard(() => this.sax.write(chunk));
  }

  end(): void {
    this.guard(() => this.sax.close());
  }

  private guard(work: () => void): void {
    try {
      work();
    } catch (cause) {
      if (cause instanceof PipelineError) throw cause;
      throw PipelineError.permanent(
        'deps.malformed',
        `${this.file}:${this.sax.line}: ${String(cause)}`,
        { file: this.file, line: this.sax.line },
        cause,
      );
    }
  }

  private open(tag: SaxesTagPlain): void {
    const a = tag.attributes;
    if (tag.name === 'package') {
      this.draft = {
        name: '',
        arch: '',
        epoch: '0',
        version: '',
        release: '',
        sourceRpm: '',
        provides: [],
        requires: [],
        files: [],
      };
    } else if (!this.draft) return;
    else if (TEXT_ELEMENTS.has(tag.name)) this.text = '';
    else if (tag.name === 'version') {
      this.draft.epoch = a.epoch ?? '0';
      this.draft.version = a.ver ?? '';
      this.draft.release = a.rel ?? '';
    } else if (tag.name === 'rpm:provides') this.list = this.draft.provides;
    else if (tag.name === 'rpm:requires') this.list = this.draft.requires;
    else if (tag.name === 'rpm:entry' && this.list && a.name !== undefined) this.list.push(entry(a));
  }

  private close(name: string): void {
    const draft = this.draft;
    if (!draft) return;
    if (TEXT_ELEMENTS.has(name) && this.text !== undefined) {
      const value = this.text.trim();
      this.text = undefined;
      if (name === 'name') draft.name = value;
      else if (name === 'arch') draft.arch = value;
      else if (name === 'rpm:sourcerpm') draft.sourceRpm = value;
      else draft.files.push(value);
    } else if (name === 'rpm:provides' || name === 'rpm:requires') this.list = undefined;
    else if (name === 'package') this.emit(draft);
  }

  private emit(d: Draft): void {
    this.draft = undefined;
    if (!d.name || !d.arch) {
      throw PipelineError.permanent(
        'deps.malformed',
        `${this.file}:${this.sax.line}: package without name or arch`,
        {
          file: this.file,
          line: this.sax.line,
        },
      );
    }
    this.packages++;
    const evr = { epoch: d.epoch, version: d.version, release: d.release };
    if (d.arch === 'src') this.sink.addSource({ name: d.name, ...evr, buildRequires: d.requires });
    else
      this.sink.addBinary({
        name: d.name,
        arch: d.arch,
        ...evr,
        sourceRpm: d.sourceRpm,
        provides: d.provides,
        files: d.files,
      });
  }
}

function entry(a: Record<string, string>): DepEntry {
  const name = a.name ?? '';
  const flags = a.flags;
  if (flags === undefined || !FLAGS.has(flags)) return { name };
  return {
    name,
    flags: flags as DepFlags,
    epoch: a.epoch ?? '0',
    ver: a.ver ?? '',
    ...(a.rel === undefined ? {} : { rel: a.rel }),
  };
}
