#!/usr/bin/env node
// Thin launcher: the CLI is compiled TypeScript under dist/ (`npm run build`, done by scripts/setup.sh).
const path = require('node:path');
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
