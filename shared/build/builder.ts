import type { ErrorCode } from '../error-codes';

/**
 * The port a build worker builds through. `infra/builders/` has the implementations: `rpmbuild` on this
 * machine, and an Azure Container Apps Job in the cloud. A builder turns a rendered component folder (spec,
 * patches, downloaded sources) into an SRPM and binary RPMs, and keeps the full log.
 */
export interface BuildInput {
  readonly component: string;
  /** Identifies the build: artifacts and records are stored under it. */
  readonly fingerprint: string;
  /** The rendered component: `<component>.spec` and every file it names as Source or Patch. */
  readonly sourceDir: string;
  readonly specFile: string;
  /** A fresh, empty folder the builder owns for this build (its `_topdir`, the results, the log). */
  readonly workDir: string;
  /** `%define`s for the distro (`dist` = `.azl4`, `vendor`, `distribution`) and the component's `defines`. */
  readonly macros: Readonly<Record<string, string>>;
  /** The component's `build.with` / `build.without` bconds. */
  readonly with: readonly string[];
  readonly without: readonly string[];
  /** The build is stopped and fails after this long. */
  readonly timeLimitMs: number;
  readonly signal?: AbortSignal;
}

export interface BuiltFile {
  /** Absolute path on this machine. */
  readonly path: string;
  readonly kind: 'srpm' | 'rpm' | 'log';
}

export type BuildOutcome =
  | { readonly state: 'succeeded'; readonly files: readonly BuiltFile[]; readonly logPath: string }
  | {
      readonly state: 'failed';
      /** A stable code (`build.spec-error`, `build.compile-error`, `build.timeout`, `build.not-started`). */
      readonly code: ErrorCode;
      /** Whether trying again can help (the builder could not start) or not (the spec or the code is wrong). */
      readonly retryable: boolean;
      readonly message: string;
      readonly logPath?: string;
      /** The last lines of the log, for the build record. */
      readonly logExcerpt: string;
    };

export interface Builder {
  /** Which builder this is, for records and logs (`rpmbuild`, `container-apps-job`). */
  readonly name: string;
  build(input: BuildInput): Promise<BuildOutcome>;
}
