/**
 * Preflight for Apigee: every proxy and environment a written product names must exist in the
 * org. Apigee refuses unknown proxies on create (reference §2), and an unknown environment is a
 * typo that would leave the product unusable there. Works on two list calls made once, so it
 * costs no request per change.
 */
import type { Diagnostic } from '../../model/diagnostic.ts';
import type { Change } from '../../model/plan.ts';
import type { ApigeeState } from './mapping.ts';
import { listNames } from '../list-names.ts';

/** What an org has, by name, from `GET …/apis` and `GET …/environments`. */
export interface ApigeeDirectory {
  proxies: readonly string[];
  environments: readonly string[];
}

/** Changes that write a product whose references must hold afterwards. */
const WRITES = new Set(['create', 'update', 'publish']);

/** Whether any change needs the directory: callers skip the list calls otherwise. */
export function needsDirectory(changes: readonly Change[]): boolean {
  return changes.some((change) => WRITES.has(change.action) && change.after);
}

/**
 * One error per product and unknown name (a product's plans share their proxies, so its objects
 * would otherwise repeat it), pointing at the product's binding.
 */
export function checkReferences(changes: readonly Change[], directory: ApigeeDirectory, target: string, org: string): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  const reported = new Set<string>();
  const proxies = new Set(directory.proxies);
  const environments = new Set(directory.environments);
  for (const change of changes) {
    if (!WRITES.has(change.action) || !change.after) continue;
    const state = change.after.state as unknown as ApigeeState;
    const check = (kind: 'proxy' | 'environment', wanted: readonly string[] | undefined, known: Set<string>, all: readonly string[]): void => {
      for (const name of wanted ?? []) {
        const id = `${change.product}\0${kind}\0${name}`;
        if (known.has(name) || reported.has(id)) continue;
        reported.add(id);
        diagnostics.push({
          severity: 'error',
          rule: `apigee/unknown-${kind}`,
          message: `${change.product}: ${kind} "${name}" does not exist in Apigee organization ${org} on target ${target} (available: ${listNames(all)})`,
          fix: kind === 'proxy' ? 'correct the proxy name, or deploy the API proxy first' : 'correct the environment name, or create the environment first',
          ...(change.source ? { source: change.source } : {}),
          target,
          product: change.product,
        });
      }
    };
    check('proxy', state.proxies, proxies, directory.proxies);
    check('environment', state.environments, environments, directory.environments);
  }
  return diagnostics;
}
