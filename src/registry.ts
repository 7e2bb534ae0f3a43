/**
 * The vendors apiproducts knows, and the only list of them (DESIGN §2, §11): each contributes its
 * provider kind (offline rules, schema keys, credentials, mapping, the connected provider) and the
 * emulator behind its `sandbox: true` targets. Adding a vendor is one folder under src/providers/,
 * one under src/sandbox/, one entry here and one in the provider contract suite.
 */
import { UserError } from './model/diagnostic.ts';
import type { TargetConfig } from './model/target.ts';
import { api7 } from './providers/api7/index.ts';
import { apigee } from './providers/apigee/index.ts';
import type { ProviderKind } from './providers/provider.ts';
import type { SandboxKind } from './sandbox/index.ts';

export interface Vendor {
  kind: ProviderKind;
  /** Loaded only when a sandbox target runs: every other command starts without the emulators (~20 ms). */
  sandbox: () => Promise<SandboxKind>;
}

export const VENDORS: readonly Vendor[] = [
  { kind: api7, sandbox: async () => (await import('./sandbox/api7/sandbox.ts')).api7Sandbox },
  { kind: apigee, sandbox: async () => (await import('./sandbox/apigee/sandbox.ts')).apigeeSandbox },
];

const BY_KIND = new Map(VENDORS.map((vendor) => [vendor.kind.kind, vendor]));

export function getProviderKind(kind: string): ProviderKind | undefined {
  return BY_KIND.get(kind)?.kind;
}

/** The emulator of a sandbox target's provider; a UserError naming the ones that exist. */
export async function sandboxFor(target: TargetConfig): Promise<SandboxKind> {
  const vendor = BY_KIND.get(target.provider);
  if (!vendor) {
    throw new UserError(
      `target ${target.name}: no sandbox exists for provider "${target.provider}" (sandboxes exist for: ${[...BY_KIND.keys()].join(', ')})`,
    );
  }
  return vendor.sandbox();
}

/** The environment variables a target names for its credentials, per its provider's settings. */
export function credentialVariables(target: TargetConfig): string[] {
  const settings = Object.keys(getProviderKind(target.provider)?.schema.credentials ?? {});
  return settings.map((setting) => target.settings[setting]).filter((name): name is string => typeof name === 'string' && name.length > 0);
}
