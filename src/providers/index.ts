/**
 * The provider registry: the only place that switches on a target's `provider` kind (DESIGN §2).
 */
import { api7 } from './api7/index.ts';
import { apigee } from './apigee/index.ts';
import type { ProviderKind } from './provider.ts';

const KINDS: ReadonlyMap<string, ProviderKind> = new Map([
  [api7.kind, api7],
  [apigee.kind, apigee],
]);

export function getProviderKind(kind: string): ProviderKind | undefined {
  return KINDS.get(kind);
}

/** The kinds a target may name, for error messages and the schema. */
export function providerKinds(): string[] {
  return [...KINDS.keys()].sort();
}
