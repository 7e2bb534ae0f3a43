import { readFileSync } from 'node:fs';
import type { TargetConfig } from '../../model/target.ts';
import { DEFAULT_TIMEOUT_MS, type HttpClientOptions } from './http.ts';
import { ProviderError } from './provider-error.ts';
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
}

/** The transport settings of a target: its timeout and CA file, the read retries, the gate. */
export function transportFor(
  target: TargetConfig,
  traffic: Traffic,
  options: ConnectOptions = {},
): Pick<HttpClientOptions, 'timeoutMs' | 'ca' | 'maxBodyBytes' | 'retry' | 'sleep' | 'traffic' | 'timeoutSource'> {
  const caFile = target.caFile;
  let ca: string | undefined;
  return {
    timeoutMs: options.timeoutMs ?? target.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    timeoutSource:
      target.timeoutMs === undefined || options.timeoutMs !== undefined
        ? `the default timeout; set timeout: on target ${target.name} in apiproducts.yaml to change it`
        : `timeout: of target ${target.name} in apiproducts.yaml`,
    retry: options.retry ?? DEFAULT_RETRY,
    ...(options.sleep === undefined ? {} : { sleep: options.sleep }),
    traffic,
    ...(options.maxBodyBytes === undefined ? {} : { maxBodyBytes: options.maxBodyBytes }),
    ...(caFile === undefined
      ? {}
      : {
          ca: () => {
            if (ca !== undefined) return ca;
            try {
              ca = readFileSync(caFile, 'utf8');
            } catch (error) {
              throw new ProviderError(`cannot read caFile ${caFile} of target ${target.name} (${(error as NodeJS.ErrnoException).code ?? 'unreadable'})`);
            }
            return ca;
          },
        }),
  };
}
