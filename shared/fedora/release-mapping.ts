/**
 * Which Fedora release a tag, build target, branch, Bodhi release or compose belongs to: `f43`, `epel10`,
 * `epel9-next`, `eln` or `rawhide`.
 *
 * Rawhide has no number of its own: it builds into the tag of the next release (`f44` while Fedora 43 is the
 * newest branched release), and that number moves at every branching. So `f44` means "rawhide" only when the
 * caller says so with `rawhideRelease: 44` (read it live, e.g. Koji `getBuildTarget("rawhide").dest_tag_name`
 * or Bodhi's release list); without it `f44` stays `f44`, and only the literal `rawhide` (build target,
 * dist-git branch, Bodhi branch) maps to `rawhide`. The same rule applies to every name below, so
 * `f44-updates-candidate`, branch `f44`, Bodhi `F44` and Koschei collection `f44` all agree.
 */
export interface ReleaseOptions {
  /** The Fedora release number Rawhide currently builds as (`44` ⇒ tag `f44` is rawhide). */
  readonly rawhideRelease?: number;
}

// `<release>` or `<release>-<anything>`: f43, f43-updates-testing-pending, f43-build-side-1234, f43-candidate,
// epel10.1-testing-candidate, epel9-next-candidate, eln-build. Anything else (module-…, trashcan) has none.
const TAG = /^(?:(f)(\d{1,4})|(epel)(\d{1,3}(?:\.\d{1,3})?(?:-next)?)|(eln))(?:-|$)/;

/** The release of a Koji tag or build target; undefined for tags outside the Fedora/EPEL/ELN scheme. */
export function releaseFromTag(tag: string, options: ReleaseOptions): string | undefined {
  if (tag === 'rawhide') return 'rawhide';
  const match = TAG.exec(tag);
  if (match === null) return undefined;
  if (match[1] !== undefined) return fedora(Number(match[2]), options);
  if (match[3] !== undefined) return `epel${match[4] ?? ''}`;
  return 'eln';
}

/**
 * The release of a dist-git branch. `master` was Rawhide's branch name until the 2020 rename to `rawhide`
 * (old datagrepper records still say it). Other branches (`main`, private ones) have no release.
 */
export function releaseFromBranch(branch: string, options: ReleaseOptions): string | undefined {
  if (branch === 'rawhide' || branch === 'master') return 'rawhide';
  const match = /^(?:f(\d{1,4})|(epel\d{1,3}(?:\.\d{1,3})?(?:-next)?)|(eln))$/.exec(branch);
  if (match === null) return undefined;
  if (match[1] !== undefined) return fedora(Number(match[1]), options);
  return match[2] ?? 'eln';
}

/** A Bodhi release object (only the fields that identify the release). */
export interface BodhiReleaseRef {
  readonly name: string;
  readonly branch?: string | null | undefined;
}

/**
 * The release of a Bodhi release: its dist-git `branch` when the message carries it (`f43`, `rawhide`), else
 * its name: `F43` (and the container/flatpak/module variants `F43C`, `F43F`, `F43M`), `EPEL-10`, `EPEL-10.1`,
 * `EPEL-9N` (EPEL Next), `ELN`.
 */
export function releaseFromBodhi(release: BodhiReleaseRef, options: ReleaseOptions): string | undefined {
  if (typeof release.branch === 'string' && release.branch !== '') {
    const fromBranch = releaseFromBranch(release.branch, options);
    if (fromBranch !== undefined) return fromBranch;
  }
  const match = /^(?:F(\d{1,4})[CFM]?|EPEL-(\d{1,3}(?:\.\d{1,3})?)(N)?M?|(ELN))$/i.exec(release.name);
  if (match === null) return undefined;
  if (match[1] !== undefined) return fedora(Number(match[1]), options);
  if (match[2] !== undefined) return `epel${match[2]}${match[3] === undefined ? '' : '-next'}`;
  return 'eln';
}

/** `f<n>`, or `rawhide` when `n` is the configured Rawhide release. */
export function fedora(release: number, options: ReleaseOptions): string {
  return options.rawhideRelease === release ? 'rawhide' : `f${release}`;
}
