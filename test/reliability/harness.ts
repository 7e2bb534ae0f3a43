/**
 * Shared by the reliability tests: emulators with faults, generated projects of N products bound
 * to real (non-sandbox) targets that read sentinel credentials from the environment, commands run
 * in this process (fast) or through the built CLI, and checks of the live state.
 */
import { tempDir } from '../helpers/temp.ts';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ApplyReport, Plan } from '../../src/model/plan.ts';
import { startApi7Emulator, type Api7Emulator } from '../../src/sandbox/api7/server.ts';
import { seedApi7State } from '../../src/sandbox/api7/state.ts';
import { startApigeeEmulator, type ApigeeEmulator } from '../../src/sandbox/apigee/server.ts';
import { seedApigeeState, type ApigeeFlavour } from '../../src/sandbox/apigee/state.ts';
import type { FaultClock, FaultOptions } from '../../src/sandbox/fault-options.ts';
import { runCliInProcess } from '../helpers/cli-in-process.ts';
import { exampleProject, type CliResult } from '../helpers/project.ts';

/** Sentinel credentials: none may ever show in any output. */
export const SECRETS = {
  api7: 'SENTINEL-api7-token-4d1f9e',
  apigee: 'SENTINEL-apigee-bearer-77aa0c',
  user: 'sentinel-user-5b2e@example.com',
  password: 'SENTINEL-pass-31c9d4',
} as const;
export const BASIC = Buffer.from(`${SECRETS.user}:${SECRETS.password}`).toString('base64');
export const ENV = { API7_TOKEN: SECRETS.api7, APIGEE_TOKEN: SECRETS.apigee, APIGEE_USER: SECRETS.user, APIGEE_PASSWORD: SECRETS.password };

export const ORG = 'acme';
export const API7_PORTAL = 'portal-default';

/** `faultClock`: the time the faults run on (test/helpers/clock.ts); real time when absent. */
export function startApi7(faults?: FaultOptions, faultClock?: FaultClock): Promise<Api7Emulator> {
  return startApi7Emulator({ token: SECRETS.api7, state: seedApi7State(), ...(faults ? { faults } : {}), ...(faultClock ? { faultClock } : {}) });
}

export function startApigee(flavour: ApigeeFlavour, faults?: FaultOptions, basic = false, faultClock?: FaultClock): Promise<ApigeeEmulator> {
  const credentials = basic ? { username: SECRETS.user, password: SECRETS.password } : { token: SECRETS.apigee };
  return startApigeeEmulator({ flavour, org: ORG, credentials, state: seedApigeeState(ORG), ...(faults ? { faults } : {}), ...(faultClock ? { faultClock } : {}) });
}

export type Emulator = Api7Emulator | ApigeeEmulator;

export interface TargetSpec {
  name: string;
  provider: 'api7' | 'apigee';
  url: string;
  flavour?: ApigeeFlavour;
  /** Apigee Edge: Basic from APIGEE_USER / APIGEE_PASSWORD instead of Bearer. */
  basic?: boolean;
  timeout?: string;
  extra?: string;
}

export function targetYaml(spec: TargetSpec): string {
  const lines = [`  ${spec.name}:`, `    provider: ${spec.provider}`, `    url: ${spec.url}`];
  if (spec.provider === 'api7') lines.push('    portal: default', '    tokenEnv: API7_TOKEN');
  else {
    lines.push(`    flavour: ${spec.flavour ?? 'edge'}`, `    org: ${ORG}`);
    lines.push(...(spec.basic ? ['    usernameEnv: APIGEE_USER', '    passwordEnv: APIGEE_PASSWORD'] : ['    tokenEnv: APIGEE_TOKEN']));
  }
  if (spec.timeout) lines.push(`    timeout: ${spec.timeout}`);
  if (spec.extra) lines.push(spec.extra);
  return lines.join('\n') + '\n';
}

export const productName = (i: number): string => `p-${String(i).padStart(3, '0')}`;

/** Product `i` bound to every target: an external product on API7, a proxied one on Apigee. */
export function productYaml(i: number, targets: readonly TargetSpec[], overrides: { status?: string; description?: string } = {}): string {
  const name = productName(i);
  const lines = [
    `name: ${name}`,
    `displayName: Product ${i}`,
    `description: ${overrides.description ?? `Generated product number ${i}.`}`,
    `status: ${overrides.status ?? 'published'}`,
    'visibility: public',
    'team: load',
    'targets:',
  ];
  for (const target of targets) {
    lines.push(`  ${target.name}:`);
    if (target.provider === 'api7') lines.push('    type: external', '    openapi: ./specs/weather.yaml', `    serverUrls: [https://${name}.example.com]`);
    else lines.push('    proxies: [orders-v2]', '    environments: [prod]', `    resources: [/${name}/**]`);
  }
  return lines.join('\n') + '\n';
}

export interface LoadProject {
  cwd: string;
  targets: TargetSpec[];
  count: number;
  /** Rewrites product `i` (e.g. a new description), for the next plan. */
  edit(i: number, overrides: { status?: string; description?: string }): void;
}

/** A project of `count` generated products bound to every target. */
export function writeLoadProject(targets: TargetSpec[], count: number, options: { concurrency?: number } = {}): LoadProject {
  const cwd = tempDir('apiproducts-reliability-');
  mkdirSync(join(cwd, 'products', 'specs'), { recursive: true });
  // Only API7 products reference the spec, and a spec no product references is an error.
  if (targets.some((t) => t.provider === 'api7')) {
    writeFileSync(join(cwd, 'products', 'specs', 'weather.yaml'), readFileSync(join(exampleProject, 'products', 'specs', 'weather.yaml')));
  }
  const config = ['targets:', ...targets.map((t) => targetYaml(t).trimEnd()), `concurrency: ${options.concurrency ?? 8}`];
  writeFileSync(join(cwd, 'apiproducts.yaml'), config.join('\n') + '\n');
  const edit = (i: number, overrides: { status?: string; description?: string }): void =>
    writeFileSync(join(cwd, 'products', `${productName(i)}.yaml`), productYaml(i, targets, overrides));
  for (let i = 1; i <= count; i++) edit(i, {});
  return { cwd, targets, count, edit };
}

/** `apiproducts plan --format json` in this process: the plan, or the failure. */
export async function planHere(cwd: string, options: { out?: string } = {}): Promise<CliResult & { plan?: Plan }> {
  const result = await runCliInProcess(['plan', '--format', 'json', ...(options.out ? ['--out', options.out] : [])], { cwd, env: ENV });
  return { ...result, ...(result.code === 0 ? { plan: JSON.parse(result.stdout) as Plan } : {}) };
}

/** `apiproducts apply --auto-approve --format json` in this process. */
export async function applyHere(cwd: string, options: { allowDestructive?: boolean } = {}): Promise<CliResult & { report?: ApplyReport | null; plan?: Plan }> {
  const flags = options.allowDestructive ? ['--allow-destructive'] : [];
  const result = await runCliInProcess(['apply', '--auto-approve', '--format', 'json', ...flags], { cwd, env: ENV });
  const parsed = result.stdout.trim() ? (JSON.parse(result.stdout) as { plan: Plan; report: ApplyReport | null }) : undefined;
  return { ...result, ...(parsed ? { report: parsed.report, plan: parsed.plan } : {}) };
}

/** Our products on an API7 emulator by Git name, with how many live objects carry each (duplicates show as > 1). */
export function api7Owned(emulator: Api7Emulator): Map<string, number> {
  const counts = new Map<string, number>();
  for (const product of emulator.state.products[API7_PORTAL] ?? []) {
    if (product.labels?.['managed-by'] !== 'apiproducts') continue;
    const name = product.labels['apiproducts-name']!;
    counts.set(name, (counts.get(name) ?? 0) + 1);
  }
  return counts;
}

/** Our products on an Apigee emulator (names are unique there by construction: a second create is a 409). */
export function apigeeOwned(emulator: ApigeeEmulator): Map<string, number> {
  const counts = new Map<string, number>();
  for (const product of Object.values(emulator.state.products)) {
    if (!product.attributes.some((a) => a.name === 'managed-by' && a.value === 'apiproducts')) continue;
    counts.set(product.name, (counts.get(product.name) ?? 0) + 1);
  }
  return counts;
}

export function ownedOn(emulator: Emulator): Map<string, number> {
  return 'portals' in emulator.state ? api7Owned(emulator as Api7Emulator) : apigeeOwned(emulator as ApigeeEmulator);
}

/** `1..count` as product names (API7 keys) or Apigee keys (one product per generated product: no plans). */
export function expectedNames(count: number): string[] {
  return Array.from({ length: count }, (_, i) => productName(i + 1));
}

export async function closeAll(emulators: readonly { close(): Promise<void> }[]): Promise<void> {
  await Promise.all(emulators.map((e) => e.close()));
}
