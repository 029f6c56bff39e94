import type { Header } from 'tar-stream';
import { extract, pack } from 'tar-stream';
import type { ArchiveEntry } from '../../shared/overlays/archive-entry';

type HeaderArgument = Partial<Header> & Pick<Header, 'name'>;

/**
 * An uncompressed tar's entries, bodies in memory, with tar-stream (ustar, GNU long names and pax records are
 * its to decode). A global pax header (`git archive` stores the commit in one) is not an entry and is not
 * kept. Rejects when the bytes are not a tar.
 */
export async function readTarEntries(tar: Uint8Array): Promise<ArchiveEntry[]> {
  const reader = extract();
  const entries: ArchiveEntry[] = [];
  const done = (async () => {
    for await (const entry of reader) {
      const chunks: Buffer[] = [];
      for await (const chunk of entry) chunks.push(chunk as Buffer);
      entries.push(toEntry(entry.header, Buffer.concat(chunks)));
    }
  })();
  reader.end(Buffer.from(tar));
  await done;
  return entries;
}

/** The entries as a tar, in the order given, with tar-stream (pax records for what ustar cannot hold). */
export async function writeTarEntries(entries: readonly ArchiveEntry[]): Promise<Buffer> {
  const writer = pack();
  const chunks: Buffer[] = [];
  const collected = (async () => {
    for await (const chunk of writer) chunks.push(chunk as Buffer);
  })();
  for (const entry of entries) {
    await new Promise<void>((resolve, reject) => {
      writer.entry(toHeaders(entry), Buffer.from(entry.body), (error) => (error ? reject(error) : resolve()));
    });
  }
  writer.finalize();
  await collected;
  return Buffer.concat(chunks);
}

/** tar-stream gives a pax entry's records as a string map (its typings say `unknown`). */
const paxOf = (header: Header): Record<string, string> | undefined =>
  header.pax ? (header.pax as Record<string, string>) : undefined;

function toEntry(header: Header, body: Buffer): ArchiveEntry {
  const pax = paxOf(header);
  return {
    name: header.name,
    type: header.type,
    mode: header.mode,
    uid: header.uid,
    gid: header.gid,
    ...(header.uname ? { uname: header.uname } : {}),
    ...(header.gname ? { gname: header.gname } : {}),
    mtime: Math.floor(header.mtime.getTime() / 1000),
    ...(header.linkname ? { linkname: header.linkname } : {}),
    ...(header.devmajor ? { devmajor: header.devmajor } : {}),
    ...(header.devminor ? { devminor: header.devminor } : {}),
    ...(pax ? { pax } : {}),
    body,
  };
}

function toHeaders(entry: ArchiveEntry): HeaderArgument {
  return {
    name: entry.name,
    type: entry.type as Header['type'],
    mode: entry.mode,
    uid: entry.uid,
    gid: entry.gid,
    uname: entry.uname ?? '',
    gname: entry.gname ?? '',
    mtime: new Date(entry.mtime * 1000),
    size: entry.body.byteLength,
    ...(entry.linkname === undefined ? {} : { linkname: entry.linkname }),
    ...(entry.devmajor === undefined ? {} : { devmajor: entry.devmajor }),
    ...(entry.devminor === undefined ? {} : { devminor: entry.devminor }),
    ...(entry.pax === undefined ? {} : { pax: { ...entry.pax } }),
  };
}
