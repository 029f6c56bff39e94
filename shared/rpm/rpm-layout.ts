import { PipelineError } from '../errors';
import { HEADER_INTRO_BYTES, readHeaderSize } from './header-structure';

/** `ED AB EE DB`: the lead magic. */
const LEAD_MAGIC = [0xed, 0xab, 0xee, 0xdb] as const;
export const LEAD_BYTES = 96;

export interface RpmLead {
  major: number;
  minor: number;
  /** 0 binary, 1 source (historical; the header's SOURCEPACKAGE tag is what counts). */
  type: number;
}

/** Where the parts of an RPM file are: `[lead][signature][pad to 8][main header][payload]`. */
export interface RpmLayout {
  lead: RpmLead;
  signature: { start: number; end: number; indexEntries: number; dataBytes: number; padding: number };
  /** The main header's byte range, as repodata's `rpm:header-range` (end exclusive = payload offset). */
  header: { start: number; end: number; indexEntries: number; dataBytes: number };
}

/** Either the layout, or how many leading bytes of the file are needed at least to learn more. */
export type HeaderMeasure = { complete: true; layout: RpmLayout } | { complete: false; needBytes: number };

/**
 * Tells how many leading bytes of an RPM file hold its lead, signature and main header. Give it any prefix:
 * it answers `{complete: false, needBytes}` until the prefix reaches the end of the main header (each answer
 * is a lower bound that grows as more is known: 112, then the signature's end + 16, then the header's end),
 * then the layout. A wrong magic is `rpm.bad-magic`, absurd sizes `rpm.corrupt-header`.
 */
export function measureRpmHeader(prefix: Uint8Array): HeaderMeasure {
  const sigStart = LEAD_BYTES;
  if (prefix.length < sigStart + HEADER_INTRO_BYTES) {
    if (prefix.length >= 4) readLead(prefix);
    return { complete: false, needBytes: sigStart + HEADER_INTRO_BYTES };
  }
  const lead = readLead(prefix);
  const sig = readHeaderSize(prefix, sigStart, 'signature');
  const sigEnd = sigStart + sig.totalBytes;
  const padding = (8 - (sigEnd % 8)) % 8;
  const headerStart = sigEnd + padding;
  if (prefix.length < headerStart + HEADER_INTRO_BYTES)
    return { complete: false, needBytes: headerStart + HEADER_INTRO_BYTES };
  const main = readHeaderSize(prefix, headerStart, 'main');
  const headerEnd = headerStart + main.totalBytes;
  if (prefix.length < headerEnd) return { complete: false, needBytes: headerEnd };
  return {
    complete: true,
    layout: {
      lead,
      signature: {
        start: sigStart,
        end: sigEnd,
        indexEntries: sig.indexEntries,
        dataBytes: sig.dataBytes,
        padding,
      },
      header: {
        start: headerStart,
        end: headerEnd,
        indexEntries: main.indexEntries,
        dataBytes: main.dataBytes,
      },
    },
  };
}

/** The layout of bytes that must hold the whole header; a shorter input is `rpm.truncated`. */
export function locateRpmHeader(bytes: Uint8Array): RpmLayout {
  const measured = measureRpmHeader(bytes);
  if (measured.complete) return measured.layout;
  throw PipelineError.permanent(
    'rpm.truncated',
    `the RPM header needs at least ${measured.needBytes} bytes, only ${bytes.length} given`,
    { component: 'rpm', offset: bytes.length, needBytes: measured.needBytes },
  );
}

function readLead(bytes: Uint8Array): RpmLead {
  if (LEAD_MAGIC.some((b, i) => bytes[i] !== b))
    throw PipelineError.permanent('rpm.bad-magic', 'not an RPM file: the lead does not start with EDABEEDB', {
      component: 'rpm',
      offset: 0,
    });
  const type = bytes.length >= 8 ? ((bytes[6] ?? 0) << 8) | (bytes[7] ?? 0) : 0;
  return { major: bytes[4] ?? 0, minor: bytes[5] ?? 0, type };
}
