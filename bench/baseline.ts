/**
 * The BASELINE read strategy: how the common peers read a portal (peers-and-complaints §3:
 * Terraform's refresh, ADC's per-service fetch): list the names page by page, then one GET per
 * product with 10 in flight. Everything else is ours, so the comparison isolates the read strategy:
 * the same HTTP client (keep-alive, JSON, retries), the same lookups, the same mapping to live
 * objects, the same diff, plan and render. Each vendor's baseline (bench/vendors/<vendor>/) is
 * built from the pieces here.
 */
import pLimit from 'p-limit';
import type { TargetConfig } from '../src/model/target.ts';
import type { Attempted } from '../src/providers/transport/retry.ts';
import type { LockStore, Provider, ProviderKind } from '../src/providers/provider.ts';

/**
 * What each vendor's baseline.ts exports as `readLikePeers`: a read-only Provider that observes
 * the way the peers do. bench/entries/baseline-plan.ts loads it by the vendor's folder name, so
 * that its process loads no emulator and pays the same start-up as the CLI.
 */
export type BaselineFactory = (target: TargetConfig, kind: ProviderKind, url: string, parallelism: number) => Provider;

export function token(target: TargetConfig): string {
  const variable = String(target.settings.tokenEnv ?? '');
  const value = process.env[variable];
  if (!value) throw new Error(`baseline: environment variable ${variable} is not set`);
  return value;
}

export function notForApply(): Promise<Attempted<void>> {
  return Promise.reject(new Error('the baseline strategy only reads'));
}

/** The baseline plans only: it never takes a target lock. */
export const notForLocking: LockStore = {
  create: () => Promise.reject(new Error('the baseline strategy takes no lock')),
  list: () => Promise.reject(new Error('the baseline strategy takes no lock')),
  renew: () => Promise.reject(new Error('the baseline strategy takes no lock')),
  remove: () => Promise.reject(new Error('the baseline strategy takes no lock')),
};

/** `items` mapped by `read` with at most `parallelism` in flight, in order. */
export async function readEach<T, R>(items: readonly T[], parallelism: number, read: (item: T) => Promise<R>): Promise<R[]> {
  const limit = pLimit(parallelism);
  return Promise.all(items.map((item) => limit(() => read(item))));
}
