/**
 * dependency-cruiser: reads every import (resolved through tsconfig.json) and fails on a cycle between
 * modules, so no folder holds one (the layering between folders is the ESLint rule in eslint.config.mjs).
 * `npm run deps:graph` prints the import drawing of the top-level folders.
 */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'Modules that import each other, directly or around a circle: split out what both need.',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(dist|node_modules|\\.data)/' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
  },
};
