/**
 * The vendors the benchmark measures, and the only list of them in bench/: each one's traffic
 * profile (./profile.ts), keyed by its provider kind in src/registry.ts. A vendor added there
 * takes one folder here and one entry below.
 */
import { api7Profile } from './api7/profile.ts';
import { apigeeProfile } from './apigee/profile.ts';
import type { BenchProfile } from './profile.ts';

export const BENCH_PROFILES: readonly BenchProfile[] = [api7Profile, apigeeProfile];

const BY_KIND = new Map(BENCH_PROFILES.map((profile) => [profile.kind, profile]));

export function benchProfile(kind: string): BenchProfile {
  const profile = BY_KIND.get(kind);
  if (!profile) throw new Error(`the benchmark has no profile for provider "${kind}" (it has: ${[...BY_KIND.keys()].join(', ')})`);
  return profile;
}
