/** The upstream fixture packages as a local dist-git and lookaside (see fedora-fixture.ts). */
export * from './fedora-fixture';
export * from './fixture-package';
export * from './lookaside';
export { distGitTemplate, writeDistGitRepository } from './dist-git';
export { archiveFolder } from './ustar';
