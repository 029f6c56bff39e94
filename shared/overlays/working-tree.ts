import { notFound, OverlayRefused } from './overlay-signals';
import { joinLines, splitLines } from './spec';
import { containedPath } from './tree';

/** The mutable tree one render works on: the sources files, the spec among them, the overlay sidecars. */
export class WorkingTree {
  readonly files: Map<string, string>;

  constructor(
    files: ReadonlyMap<string, string>,
    readonly specPath: string,
    private readonly overlayFiles: ReadonlyMap<string, string>,
  ) {
    this.files = new Map(files);
  }

  specLines(): string[] {
    const text = this.files.get(this.specPath);
    if (text === undefined) throw notFound(`spec file "${this.specPath}" not found`);
    return splitLines(text);
  }

  setSpecLines(lines: readonly string[]): void {
    this.files.set(this.specPath, joinLines(lines));
  }

  /** The content of an overlay source file (relative to the component's folder, which it cannot leave). */
  overlaySource(source: string): string {
    const path = containedPath(source, 'source');
    const content = this.overlayFiles.get(path);
    if (content === undefined) {
      throw new OverlayRefused('overlay.source-missing', `overlay source file "${path}" does not exist`);
    }
    return content;
  }

  /** Adds a file to the sources tree; the destination must stay inside it and must not exist yet. */
  addFile(file: string, content: string): string {
    const path = containedPath(file, 'file');
    if (this.files.has(path)) throw notFound(`cannot add overlay file "${path}": it already exists`);
    this.files.set(path, content);
    return path;
  }
}
