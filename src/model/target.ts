import type { SourcePosition } from './diagnostic.ts';
import type { SecretMasker } from './masker.ts';

/**
 * One entry of `apiproducts.yaml` `targets:` after schema validation. Provider-specific keys
 * (`portal`, `org`, `flavour`, credential env var names) are read by that provider only.
 */
export interface TargetConfig {
  name: string;
  provider: string;
  /** Root of the management API; absent for sandbox targets (the sandbox chooses a port). */
  url?: string;
  sandbox: boolean;
  insecure: boolean;
  /** Field paths managed outside Git on this target: neither diffed nor overwritten. */
  ignore: string[];
  /**
   * The configuration's top-level `owner:`, written into every ownership marker on this target;
   * absent: no owner (products marked without one are ours, as before owners existed).
   */
  owner?: string;
  /** Per-request timeout from `timeout:` (e.g. `30s`), when set. */
  timeoutMs?: number;
  /** `maxAffected:` the impact policy (apply/impact-policy.ts), when set. */
  maxAffected?: number;
  /** Absolute path of `caFile:` (PEM certificates of a private CA to trust), when set. */
  caFile?: string;
  /** The PEM text of `caFile`, read once (bounded) by validate: the transport never reads the file. */
  ca?: string;
  /** The whole entry as written, for the provider to read its own keys from. */
  settings: Record<string, unknown>;
  source: SourcePosition;
}

/** The parsed `apiproducts.yaml`. */
export interface Config {
  file: string;
  targets: TargetConfig[];
  prune: boolean;
  /** `owner:`: which products on a shared portal are this configuration's (also on every TargetConfig). */
  owner?: string;
  /** Writes in flight per target. */
  concurrency: number;
}

/** What identifies the live system a plan was made against: saved plans refuse another one. */
export interface TargetIdentity {
  url: string;
  portal?: string;
  org?: string;
}

/** How to reach a target: the management API root and, for sandboxes, the secret to use. */
export interface Endpoint {
  url: string;
  /** Given only for embedded sandboxes; real targets read credentials from their env vars. */
  secret?: string;
  /**
   * Where the variables named by `tokenEnv` and the like are read, when a request is made: the
   * command's environment (default `process.env`), injected so that a run in-process reads its own.
   */
  env?: Readonly<Record<string, string | undefined>>;
  /** The run's masker: a provider adds each credential (and the header made of it) before sending it. */
  secrets?: SecretMasker;
}

/**
 * Loopback (localhost, *.localhost, 127.0.0.0/8, ::1): nothing sent there leaves the machine. Plain
 * http:// is allowed to it, and it is never sent through a proxy (the proxy's loopback is not ours).
 */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return host === 'localhost' || host.endsWith('.localhost') || /^127\.\d+\.\d+\.\d+$/.test(host) || host === '::1';
}
