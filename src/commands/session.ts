import { join } from 'node:path';
import type { TargetConfig } from '../model/target.ts';
import { getProviderKind, sandboxFor } from '../registry.ts';
import type { Provider, ProviderKind } from '../providers/provider.ts';
import type { Endpoint } from '../model/target.ts';
import { startSandbox } from '../sandbox/index.ts';

/** A target ready for use: its offline knowledge and a connected provider. */
export interface TargetSession {
  config: TargetConfig;
  kind: ProviderKind;
  provider: Provider;
}

export interface OpenTargets {
  sessions: TargetSession[];
  providers: Map<string, Provider>;
  close(): Promise<void>;
}

/** Where embedded sandboxes keep their state, per working directory. */
export function sandboxStateDir(cwd: string): string {
  return join(cwd, '.apiproducts', 'sandbox');
}

/** Starts the embedded sandboxes the targets need and connects a provider to every target. */
/** `env`: the command's environment, where real targets' credential variables are read. */
export async function openTargets(targets: readonly TargetConfig[], cwd: string, env: Endpoint['env']): Promise<OpenTargets> {
  const closers: (() => Promise<void>)[] = [];
  const sessions: TargetSession[] = [];
  try {
    for (const config of targets) {
      const kind = getProviderKind(config.provider);
      if (!kind) throw new Error(`target ${config.name}: unknown provider "${config.provider}"`);
      let endpoint: Endpoint = { url: config.url ?? '', env };
      if (config.sandbox) {
        const sandbox = await startSandbox(await sandboxFor(config), config, sandboxStateDir(cwd));
        closers.push(sandbox.close);
        endpoint = sandbox.endpoint;
      }
      sessions.push({ config, kind, provider: kind.connect(config, endpoint) });
    }
  } catch (error) {
    await Promise.all(closers.map((close) => close()));
    throw error;
  }
  return {
    sessions,
    providers: new Map(sessions.map((s) => [s.config.name, s.provider])),
    close: async () => {
      await Promise.all(closers.map((close) => close()));
    },
  };
}
