import { posix } from 'node:path';
import { OverlayRefused } from './overlay-signals';

/**
 * A file exactly as it came (from upstream, or from the component's folder), not decoded. The render never
 * reads it unless an overlay edits it, and a file no overlay edits leaves the render as this same object, so
 * the writer passes it through byte for byte (a build's tarballs are never read into memory at all).
 */
export interface FileBytes {
  read(): Uint8Array;
}

/** A file of the tree: text (what the engine edits and generates, and what tests write) or untouched bytes. */
export type FileContent = string | FileBytes;

/** Bytes already in memory as a tree file. */
export const bytesFile = (bytes: Uint8Array): FileBytes => ({ read: () => bytes });

/**
 * The in-memory model the engine works on. `files` is the component's flat sources directory (the dist-git
 * checkout: the spec, patches, sidecar files and any downloaded sources), keyed by POSIX path relative to it.
 * `overlayFiles` are the files next to the component's TOML (sources of `patch-add` / `file-add`), keyed by
 * path relative to that folder.
 */
export interface ComponentTree<C extends FileContent = FileContent> {
  readonly files: ReadonlyMap<string, C>;
  readonly overlayFiles?: ReadonlyMap<string, C>;
}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * The file as text, or undefined when it is not text: not valid UTF-8, or holding a NUL byte (git's sign of a
 * binary file; valid UTF-8 can still be a binary format). `ignoreBOM` keeps a byte-order mark in the text, so
 * an edited file is written back with it.
 */
export function decodeText(content: FileContent): string | undefined {
  if (typeof content === 'string') return content;
  const bytes = content.read();
  if (bytes.includes(0)) return undefined;
  try {
    return utf8.decode(bytes);
  } catch {
    return undefined;
  }
}

/**
 * A relative path inside its root, normalised, or an `overlay.path-escape` refusal when it is absolute or
 * climbs out (`../x`, `a/../../x`). `field` names the overlay field for the message.
 */
export function containedPath(path: string, field: string): string {
  const normalised = posix.normalize(path);
  if (path.startsWith('/') || normalised === '..' || normalised.startsWith('../') || normalised === '.') {
    throw new OverlayRefused('overlay.path-escape', `${field} "${path}" escapes the component's folder`);
  }
  return normalised;
}
