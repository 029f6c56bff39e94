export * from './dist-git-checkout';
export * from './download';
export * from './download-errors';
export * from './file-inventory';
export * from './git-errors';
export * from './git-runner';
export * from './http-get';
export * from './prepare-sources';
