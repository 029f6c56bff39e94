#!/usr/bin/env node
// Thin launcher: the CLI is compiled TypeScript under dist/ (`npm run build`, done by scripts/setup.sh).
const path = require('node:path');
// Node ≥ 22.1 keeps V8's compiled code of the modules the CLI loads between runs (in the OS temp folder), which
// shortens every start-up; Node 20 has no such cache and this does nothing there. A hand-written code cache
// (as v8-compile-cache does) was tried and left out: 10 to 26 ms of CPU saved per `config check` or `repo index`
// start-up on Node 20 here, not worth a require hook of our own.
require('node:module').enableCompileCache?.();
const entry = path.join(__dirname, '..', 'dist', 'hosts', 'cli', 'main.js');
try {
  require.resolve(entry);
} catch {
  console.error('azl-rebuilder is not built yet: run `npm run build` (or scripts/setup.sh) first.');
  process.exit(2);
}
require(entry)
  .main(process.argv.slice(2))
  .then(
    (code) => process.exit(typeof code === 'number' ? code : 0),
    (error) => {
      console.error(`azl-rebuilder: ${error instanceof Error ? error.message : String(error)}`);
      process.exit(1);
    },
  );
