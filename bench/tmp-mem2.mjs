import { writeHeapSnapshot } from 'node:v8';
const { loadValidProject } = await import('../dist/src/commands/project.js');
const dir = process.argv[2];
process.env.API7_TOKEN='x'; process.env.APIGEE_TOKEN='x';
gc(); const base = process.memoryUsage().heapUsed;
const project = await loadValidProject({ cwd: dir, products: 'products', targets: [] });
gc(); console.log('project MB', ((process.memoryUsage().heapUsed - base) / 1e6).toFixed(1));
if (process.argv[3]) writeHeapSnapshot(process.argv[3]);
globalThis.keep = project;
