/** Past this many BuildRequires leaving one component, they are looked up in a Map. */
const LIST_LIMIT = 16;

/**
 * The paths leaving the component being expanded, by BuildRequire (an index into `paths`). Most components
 * are left through a few: a short list scanned is cheaper than a Map per component (clearing one allocates
 * a fresh table), and a Map takes over for the few left through many.
 */
export class LeavingPaths {
  private readonly by: string[] = [];
  private readonly path: number[] = [];
  private count = 0;
  private map: Map<string, number> | undefined;

  reset(): void {
    this.count = 0;
    this.map = undefined;
  }

  /** The path of `buildRequire`, or -1. */
  find(buildRequire: string): number {
    if (this.map) return this.map.get(buildRequire) ?? -1;
    for (let k = 0; k < this.count; k++) if (this.by[k] === buildRequire) return this.path[k] as number;
    return -1;
  }

  add(buildRequire: string, path: number): void {
    if (this.map) {
      this.map.set(buildRequire, path);
      return;
    }
    this.by[this.count] = buildRequire;
    this.path[this.count++] = path;
    if (this.count > LIST_LIMIT) {
      this.map = new Map(
        this.by.slice(0, this.count).map((b, k): [string, number] => [b, this.path[k] as number]),
      );
    }
  }
}
