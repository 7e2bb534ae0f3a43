import { layout, writeProject } from './generate.ts';
const l = layout(process.argv[2] as any, Number(process.argv[3]), 0);
const p = writeProject(l, { flavour: 'x', changes: false });
console.log(p.cwd, p.productsDir);
