import type { CommitChoice } from './commit-choice';
import { chooseCommit } from './commit-choice';
import { checkPlanInputs } from './download-plan';
import { validateBranchName, validatePackageName } from './names';
import type { SourceRequest } from './request';
import { validateFetchUrl } from './url-policy';
import { expandUrlTemplate } from './url-template';

/** A SourceRequest whose every name and URL has passed validation, with the commit choice made. */
export interface ValidatedRequest {
  readonly component: string;
  /** The dist-git package name. */
  readonly pkg: string;
  readonly branch: string;
  /** The dist-git repository URL (template expanded, URL policy passed). */
  readonly repository: string;
  readonly choice: CommitChoice;
  /** The component's spec name in the prepared folder: `<component>.spec`. */
  readonly spec: string;
}

/**
 * Checks everything the request says before anything is fetched or written: names, branch, commit ids and
 * snapshot, the dist-git URL, the lookaside template and every `source-files` entry. Throws the first
 * `sources.invalid-name` / `sources.invalid-url` / `sources.malformed` error.
 */
export function validateRequest(request: SourceRequest): ValidatedRequest {
  const component = validatePackageName(request.component, 'component');
  const pkg = validatePackageName(request.upstreamName ?? component, 'upstreamName');
  const branch = validateBranchName(request.branch);
  const repository = validateFetchUrl(
    expandUrlTemplate(request.distGitTemplate, { pkg }),
    'dist-git URL',
  ).href;
  const choice = chooseCommit(request);
  checkPlanInputs(pkg, request.lookasideTemplate, request.sourceFiles);
  return { component, pkg, branch, repository, choice, spec: `${component}.spec` };
}
