import type { Endpoint, TargetConfig } from '../../model/target.ts';
import { DEFAULT_TIMEOUT_MS, type HttpClientOptions } from './http.ts';
import { DEFAULT_RETRY, type RetryPolicy } from './retry.ts';
import type { Traffic } from './traffic.ts';

/** How a provider connects, beyond its target: tests and benchmarks tune these. */
export interface ConnectOptions {
  /** Overrides the target's `timeout`. */
  timeoutMs?: number;
  /** Retries of every request (default DEFAULT_RETRY). */
  retry?: RetryPolicy;
  /** Waits between tries (default: real time). */
  sleep?: (ms: number) => Promise<void>;
  maxBodyBytes?: number;
  /** A gate to share; a new one per provider by default. */
  traffic?: Traffic;
  /** The clock minted tokens expire on (refreshing-token.ts); real time by default. */
  now?: () => number;
}

/**
 * The transport settings of a target: its timeout, its CA (read once, bounded, by validate), the
 * environment its proxy variables come from, the read retries, the gate.
 */
export function transportFor(
  target: TargetConfig,
  endpoint: Endpoint,
  traffic: Traffic,
  options: ConnectOptions = {},
): Pick<HttpClientOptions, 'timeoutMs' | 'ca' | 'env' | 'maxBodyBytes' | 'retry' | 'sleep' | 'traffic' | 'timeoutSource'> {
  return {
    timeoutMs: options.timeoutMs ?? target.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    timeoutSource:
      target.timeoutMs === undefined || options.timeoutMs !== undefined
        ? `the default timeout; set timeout: on target ${target.name} in apiproducts.yaml to change it`
        : `timeout: of target ${target.name} in apiproducts.yaml`,
    retry: options.retry ?? DEFAULT_RETRY,
    ...(options.sleep === undefined ? {} : { sleep: options.sleep }),
    traffic,
    env: endpoint.env ?? process.env,
    ...(options.maxBodyBytes === undefined ? {} : { maxBodyBytes: options.maxBodyBytes }),
    ...(target.ca === undefined ? {} : { ca: target.ca }),
  };
}
