import { gunzipSync, gzipSync } from 'node:zlib';
import { PipelineError } from '../errors';
import { U32Vec } from './columns';
import { COLUMN_NAMES } from './store';
import type { ColumnName } from './store';

/**
 * Serialized form, version 1: gzip (level 1: the payload is mostly small integers, higher levels cost time
 * for little size) of a JSON document `{format, version, strings, columns}` where `strings` is the string
 * table and each column is the base64 of its little-endian Uint32Array. Dead (replaced) rows are kept with
 * their alive flag, so the stored index answers exactly as the live one did.
 */
const FORMAT = 'azl-deps-index';
const VERSION = 1;

export function encodeIndex(strings: readonly string[], cols: Record<ColumnName, U32Vec>): Buffer {
  const columns: Record<string, string> = {};
  for (const name of COLUMN_NAMES) {
    const view = cols[name].view();
    columns[name] = Buffer.from(view.buffer, view.byteOffset, view.byteLength).toString('base64');
  }
  const doc = { format: FORMAT, version: VERSION, strings, columns };
  return gzipSync(JSON.stringify(doc), { level: 1 });
}

export function decodeIndex(buf: Buffer): { strings: string[]; cols: Record<ColumnName, U32Vec> } {
  let doc: { format?: unknown; version?: unknown; strings?: unknown; columns?: Record<string, unknown> };
  try {
    doc = JSON.parse(gunzipSync(buf).toString('utf8')) as typeof doc;
  } catch (cause) {
    throw PipelineError.permanent(
      'deps.malformed',
      'dependency index is not gzip JSON',
      { file: 'deps-index' },
      cause,
    );
  }
  if (doc.format !== FORMAT || doc.version !== VERSION || !Array.isArray(doc.strings) || !doc.columns) {
    throw PipelineError.permanent(
      'deps.malformed',
      `unsupported dependency index format ${String(doc.version)}`,
      {
        file: 'deps-index',
      },
    );
  }
  const cols = {} as Record<ColumnName, U32Vec>;
  for (const name of COLUMN_NAMES) {
    const raw = Buffer.from(String(doc.columns[name] ?? ''), 'base64');
    const copy = new Uint32Array(raw.byteLength / 4);
    Buffer.from(copy.buffer).set(raw);
    cols[name] = new U32Vec(copy);
  }
  return { strings: doc.strings as string[], cols };
}
