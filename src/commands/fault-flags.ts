import { UserError } from '../model/diagnostic.ts';
import type { FaultOptions, FaultPhase } from '../sandbox/fault-options.ts';

// Apart from src/commands/sandbox.ts so that parsing the CLI's flags does not load the emulators.

/** The `sandbox serve` flags that inject faults (src/sandbox/faults.ts), as parsed by the CLI. */
export const FAULT_FLAGS = [
  'latency',
  'rate-limit',
  'burst',
  'retry-after',
  'fail-rate',
  'fail-status',
  'fail-phase',
  'drop-rate',
  'drop-phase',
  'slow-rate',
  'slow-ms',
  'seed',
] as const;
export type FaultFlags = Partial<Record<(typeof FAULT_FLAGS)[number], string>>;

/**
 * `--latency 50ms` (or `20ms-80ms`, random in that range), `--rate-limit 100/s` (or `6000/min`,
 * `--burst N`, `--retry-after seconds|http-date|none`), `--fail-rate 0.1` (`--fail-status 503`,
 * `--fail-phase before|after|random`), `--drop-rate 0.05` (`--drop-phase …`), `--slow-rate 0.05`
 * with `--slow-ms 45000` (alone, every answer is slow), `--seed N`. Undefined when none is given.
 */
export function parseFaultFlags(flags: FaultFlags): FaultOptions | undefined {
  const given = FAULT_FLAGS.filter((name) => flags[name] !== undefined);
  if (given.length === 0) return undefined;
  const faults: FaultOptions = {};
  if (flags.latency !== undefined) {
    const [low, high] = flags.latency.split('-');
    const min = duration(low ?? '', '--latency');
    faults.latencyMs = high === undefined ? min : { min, max: duration(high, '--latency') };
  }
  if (flags['rate-limit'] !== undefined) {
    const match = /^([0-9]+(?:\.[0-9]+)?)\/(s|sec|second|m|min|minute)$/.exec(flags['rate-limit'].trim());
    if (!match || Number(match[1]) <= 0) throw new UserError(`--rate-limit must look like 100/s or 6000/min, got "${flags['rate-limit']}"`);
    const perSecond = match[2]!.startsWith('s') ? Number(match[1]) : Number(match[1]) / 60;
    const retryAfter = flags['retry-after'] ?? 'seconds';
    if (!['seconds', 'http-date', 'none'].includes(retryAfter)) throw new UserError(`--retry-after must be seconds, http-date or none, got "${retryAfter}"`);
    faults.rateLimit = {
      perSecond,
      retryAfter: retryAfter as 'seconds' | 'http-date' | 'none',
      ...(flags.burst === undefined ? {} : { burst: integer(flags.burst, '--burst', 1) }),
    };
  } else if (flags.burst !== undefined || flags['retry-after'] !== undefined) {
    throw new UserError('--burst and --retry-after go with --rate-limit');
  }
  if (flags['fail-rate'] !== undefined) faults.failRate = share(flags['fail-rate'], '--fail-rate');
  if (flags['fail-status'] !== undefined) {
    const status = integer(flags['fail-status'], '--fail-status', 500);
    if (status > 599) throw new UserError(`--fail-status must be a 5xx status, got "${flags['fail-status']}"`);
    faults.failStatus = status;
  }
  if (flags['fail-phase'] !== undefined) faults.failPhase = phase(flags['fail-phase'], '--fail-phase');
  if (flags['drop-rate'] !== undefined) faults.dropRate = share(flags['drop-rate'], '--drop-rate');
  if (flags['drop-phase'] !== undefined) faults.dropPhase = phase(flags['drop-phase'], '--drop-phase');
  if (flags['slow-ms'] !== undefined) faults.slowMs = duration(flags['slow-ms'], '--slow-ms');
  if (flags['slow-rate'] !== undefined) faults.slowRate = share(flags['slow-rate'], '--slow-rate');
  else if (flags['slow-ms'] !== undefined) faults.slowRate = 1;
  if (flags.seed !== undefined) faults.seed = integer(flags.seed, '--seed', 0);
  return faults;
}

/** `50`, `50ms`, `1.5s`, `2m` → ms (a bare number is milliseconds). */
function duration(text: string, flag: string): number {
  const match = /^([0-9]+(?:\.[0-9]+)?)(ms|s|m)?$/.exec(text.trim());
  if (!match) throw new UserError(`${flag} must be a duration such as 50ms, 1.5s or 20ms-80ms, got "${text}"`);
  return Number(match[1]) * { ms: 1, s: 1000, m: 60_000 }[(match[2] ?? 'ms') as 'ms' | 's' | 'm'];
}

function share(text: string, flag: string): number {
  const value = Number(text);
  if (text.trim() === '' || !(value >= 0 && value <= 1)) throw new UserError(`${flag} must be a share between 0 and 1, got "${text}"`);
  return value;
}

function integer(text: string, flag: string, min: number): number {
  const value = Number(text);
  if (!/^[0-9]+$/.test(text.trim()) || value < min) throw new UserError(`${flag} must be an integer of at least ${min}, got "${text}"`);
  return value;
}

function phase(text: string, flag: string): FaultPhase {
  if (text === 'before' || text === 'after' || text === 'random') return text;
  throw new UserError(`${flag} must be before, after or random, got "${text}"`);
}
