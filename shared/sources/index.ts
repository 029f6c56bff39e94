export * from './commit-choice';
export * from './hash-types';
export * from './manifest';
export * from './names';
export * from './source-errors';
export * from './sources-file';
export * from './url-policy';
export * from './url-template';
