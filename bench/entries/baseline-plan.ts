/**
 * `node dist/bench/entries/baseline-plan.js --chdir DIR --products DIR --parallelism 10`: the
 * peer-like baseline (bench/baseline.ts) as a whole process, so that it pays the same start-up as
 * `apiproducts plan`: load and validate, observe with the vendor's baseline read (list the names,
 * then one GET per product), diff, plan, preflight, the text render on stdout (its `Plan:` line is
 * what the bench checks). Everything but the read is ours. Exit 0 with no changes, 2 with changes.
 */
import { parseArgs } from 'node:util';
import { makePlan } from '../../src/commands/make-plan.ts';
import { loadValidProject } from '../../src/commands/project.ts';
import { getProviderKind } from '../../src/registry.ts';
import { renderPlanText } from '../../src/render/plan-text.ts';
import { plainStyle } from '../../src/render/style.ts';
import type { BaselineFactory } from '../baseline.ts';

const { values } = parseArgs({ options: { chdir: { type: 'string' }, products: { type: 'string' }, parallelism: { type: 'string', default: '10' } } });
const project = loadValidProject({ cwd: values.chdir ?? process.cwd(), products: values.products, targets: [] });
const config = project.targets[0]!;
const kind = getProviderKind(config.provider)!;
// By file name (bench/vendors/<kind>/baseline.ts): importing every vendor's bench profile would load the emulators too.
const extension = import.meta.url.endsWith('.ts') ? '.ts' : '.js';
const { readLikePeers } = (await import(new URL(`../vendors/${kind.kind}/baseline${extension}`, import.meta.url).href)) as { readLikePeers: BaselineFactory };
const provider = readLikePeers(config, kind, config.url!, Number(values.parallelism));
const plan = await makePlan(project, { sessions: [{ config, kind, provider }], providers: new Map([[config.name, provider]]), close: async () => {} }, { prune: false });
process.stdout.write(`${renderPlanText(plan, plainStyle)}\n`);
process.exitCode = plan.changes.length > 0 ? 2 : 0;
