import { TableClient } from '@azure/data-tables';
import { readFileSync } from 'node:fs';
const ep = JSON.parse(readFileSync(process.argv[2] ?? '/tmp/sr/data/endpoints.json','utf8'));
const t = TableClient.fromConnectionString(ep.storageConnectionString, 'builds', { allowInsecureConnection: true });
const counts = {};
for await (const e of t.listEntities({ queryOptions: { select: ['state'] } })) counts[e.state] = (counts[e.state] ?? 0) + 1;
console.log(new Date().toISOString(), JSON.stringify(counts));
