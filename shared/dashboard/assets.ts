/**
 * The dashboard page's files (HTML, CSS, its compiled script modules and the chart library), as one port: the
 * `dashboard` HTTP functions serve what it gives and know nothing of where the files live.
 */
export interface DashboardAsset {
  readonly body: Uint8Array;
  /** The `content-type` to answer with, charset included for text. */
  readonly contentType: string;
}

export interface DashboardAssets {
  /** The file served as `/api/dashboard/<name>` (`index.html` is the page itself); undefined: no such file. */
  read(name: string): Promise<DashboardAsset | undefined>;
}

/**
 * Names a browser may ask for: one plain file name (lower-case letters, digits, `.`, `-`), never a path. The
 * reader answers only names of this shape, so no request can walk out of the asset folders.
 */
export const isDashboardAssetName = (name: string): boolean =>
  /^[a-z0-9][a-z0-9.-]*\.(html|css|js)$/.test(name);
