import { join } from 'node:path';
import { UserError } from '../model/diagnostic.ts';
import type { TargetConfig } from '../model/target.ts';
import { getProviderKind, sandboxFor } from '../registry.ts';
import type { Provider, ProviderKind } from '../providers/provider.ts';
import type { ConnectOptions } from '../providers/transport/connect-options.ts';
import type { Endpoint } from '../model/target.ts';
import { startSandbox } from '../sandbox/index.ts';
import type { Io } from './io.ts';

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

/**
 * Starts the embedded sandboxes the targets need (or uses a running `sandbox serve`'s, noted on
 * stderr so that stdout stays the same) and connects a provider to every target. `io.env`: where
 * real targets' credential variables are read; `command`: what this run is, named to any other
 * process that finds a sandbox in use (`apiproducts apply`). `connect`: how the providers connect
 * (read-while-loading.ts shortens the retry waits of an observation it drops).
 */
export async function openTargets(
  targets: readonly TargetConfig[],
  cwd: string,
  io: Pick<Io, 'env' | 'err' | 'secrets'>,
  command: string,
  connect?: ConnectOptions,
): Promise<OpenTargets> {
  refuseUnverifiedTls(targets, io.env);
  const closers: (() => Promise<void>)[] = [];
  const sessions: TargetSession[] = [];
  try {
    for (const config of targets) {
      const kind = getProviderKind(config.provider);
      if (!kind) throw new Error(`target ${config.name}: unknown provider "${config.provider}"`);
      let endpoint: Endpoint = { url: config.url ?? '', env: io.env, secrets: io.secrets };
      if (config.sandbox) {
        const sandbox = await startSandbox(await sandboxFor(config), config, sandboxStateDir(cwd), { kind: 'run', command });
        closers.push(sandbox.close);
        const served = sandbox.servedBy;
        if (served) io.err(`Using sandbox ${config.name} served by \`${served.command}\` (pid ${served.pid}) at ${served.url}.\n`);
        endpoint = { ...sandbox.endpoint, secrets: io.secrets };
      }
      sessions.push({ config, kind, provider: connect ? kind.connect(config, endpoint, connect) : kind.connect(config, endpoint) });
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

/**
 * `NODE_TLS_REJECT_UNAUTHORIZED=0` asks Node to skip certificate checks. The transport verifies
 * anyway (it sets rejectUnauthorized itself), but a run that seems to honour the setting while
 * ignoring it hides the real problem: refused before any real target is contacted. Sandboxes are
 * plain http on 127.0.0.1, so the setting changes nothing for them.
 */
function refuseUnverifiedTls(targets: readonly TargetConfig[], env: Io['env']): void {
  const real = targets.find((target) => !target.sandbox);
  if (!real || (env['NODE_TLS_REJECT_UNAUTHORIZED'] !== '0' && process.env['NODE_TLS_REJECT_UNAUTHORIZED'] !== '0')) return;
  throw new UserError(
    `NODE_TLS_REJECT_UNAUTHORIZED=0 is set, and apiproducts always verifies TLS certificates: target ${real.name} was not contacted; ` +
      'unset the variable, and to trust a private CA set caFile: (its PEM file, relative to apiproducts.yaml) on the target',
  );
}
