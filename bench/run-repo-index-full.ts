import { measureFullIndex } from './repo-index';

/**
 * `npm run build && node dist/bench/run-repo-index-full.js [count] [runs]`: only the full-index comparison
 * with createrepo_c (the whole `npm run bench` takes minutes), printed as JSON, nothing written.
 */
const [count, runs] = process.argv.slice(2).map(Number);
process.stdout.write(`${JSON.stringify(measureFullIndex(count || undefined, runs || undefined), null, 2)}\n`);
