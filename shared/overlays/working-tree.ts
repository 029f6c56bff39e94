import { notFound, OverlayRefused } from './overlay-signals';
import { joinLines, splitLines } from './spec';
import type { FileContent } from './tree';
import { containedPath, decodeText } from './tree';

/**
 * The mutable tree one render works on: the sources files, the spec among them, the overlay sidecars. Files
 * stay as they came until an overlay edits one: only then is it decoded (`text`), and it is stored back as text.
 */
export class WorkingTree {
  readonly files: Map<string, FileContent>;

  constructor(
    files: ReadonlyMap<string, FileContent>,
    readonly specPath: string,
    private readonly overlayFiles: ReadonlyMap<string, FileContent>,
  ) {
    this.files = new Map(files);
  }

  /**
   * The text of a file an overlay is about to edit; an `overlay.binary-file` refusal naming it when it is not
   * text (see `decodeText`), since editing it as text would corrupt it.
   */
  text(path: string): string {
    const content = this.files.get(path);
    if (content === undefined) throw notFound(`file "${path}" not found`);
    const text = decodeText(content);
    if (text === undefined) throw binaryFile(path);
    return text;
  }

  specLines(): string[] {
    if (!this.files.has(this.specPath)) throw notFound(`spec file "${this.specPath}" not found`);
    return splitLines(this.text(this.specPath));
  }

  setSpecLines(lines: readonly string[]): void {
    this.files.set(this.specPath, joinLines(lines));
  }

  /** The content of an overlay source file (relative to the component's folder, which it cannot leave). */
  overlaySource(source: string): FileContent {
    const path = containedPath(source, 'source');
    const content = this.overlayFiles.get(path);
    if (content === undefined) {
      throw new OverlayRefused('overlay.source-missing', `overlay source file "${path}" does not exist`);
    }
    return content;
  }

  /** Adds a file to the sources tree; the destination must stay inside it and must not exist yet. */
  addFile(file: string, content: FileContent): string {
    const path = containedPath(file, 'file');
    if (this.files.has(path)) throw notFound(`cannot add overlay file "${path}": it already exists`);
    this.files.set(path, content);
    return path;
  }
}

/** The refusal for a text edit aimed at a file that is not text. */
export const binaryFile = (path: string): OverlayRefused =>
  new OverlayRefused(
    'overlay.binary-file',
    `file "${path}" is not text (not UTF-8, or it holds NUL bytes): a text overlay would corrupt it`,
    { file: path },
  );
