/**
 * A plan's limits → one Apigee product's quota and attributes (DESIGN §3). Apigee has one quota
 * per product (`quota` requests per `quotaInterval` `quotaTimeUnit`), and it is only a default
 * that Quota policies read; it enforces nothing by itself (reference §2). So the COARSEST limit
 * becomes the product quota (the one a monthly bill or a daily cap is about), and every other
 * limit becomes an attribute a Quota or SpikeArrest policy can reference through
 * `verifyapikey.<policy>.apiproduct.<attribute>`.
 */
import type { PlanLimits } from '../../model/product.ts';
import type { QuotaTimeUnit } from './wire.ts';

/** The product quota in neutral words: `limit` requests per `interval` `timeUnit`. */
export interface QuotaState {
  limit: number;
  interval: number;
  timeUnit: string;
}

type RateLimit = Exclude<keyof PlanLimits, 'burst'>;

/** Rate limits from the coarsest to the finest, with the Apigee unit each one counts in. */
const RATES: readonly { limit: RateLimit; unit?: QuotaTimeUnit }[] = [
  { limit: 'perMonth', unit: 'month' },
  { limit: 'perDay', unit: 'day' },
  { limit: 'perHour', unit: 'hour' },
  { limit: 'perMinute', unit: 'minute' },
  // Apigee has no per-second quota unit: per-second limits are SpikeArrest territory.
  { limit: 'perSecond' },
];

/** `quota-perSecond`: the attribute a Quota policy's `<Allow countRef>` reads for that limit. */
export const limitAttribute = (limit: RateLimit): string => `quota-${limit}`;
/** The burst allowance, for a SpikeArrest policy. */
export const BURST_ATTRIBUTE = 'spike-arrest-burst';

/** Whether an attribute name is one the limits mapping writes (so a label may not take it). */
export function isLimitAttribute(name: string): boolean {
  return name === BURST_ATTRIBUTE || RATES.some((rate) => limitAttribute(rate.limit) === name);
}

/** The coarsest rate limit of a plan, or undefined when it only has a burst. */
export function coarsestLimit(limits: PlanLimits): { limit: RateLimit; unit?: QuotaTimeUnit } | undefined {
  return RATES.find((rate) => limits[rate.limit] !== undefined);
}

export interface MappedLimits {
  /** Absent when the coarsest limit has no Apigee unit (validation reports that as an error). */
  quota?: QuotaState;
  attributes: Record<string, string>;
}

export function mapPlanLimits(limits: PlanLimits): MappedLimits {
  const coarsest = coarsestLimit(limits);
  const attributes: Record<string, string> = {};
  let quota: QuotaState | undefined;
  for (const rate of RATES) {
    const value = limits[rate.limit];
    if (value === undefined) continue;
    if (rate === coarsest && rate.unit) quota = { limit: value, interval: 1, timeUnit: rate.unit };
    else attributes[limitAttribute(rate.limit)] = String(value);
  }
  if (limits.burst !== undefined) attributes[BURST_ATTRIBUTE] = String(limits.burst);
  return quota ? { quota, attributes } : { attributes };
}
