import pLimit from 'p-limit';
import type { Change, ConsumerKind, Impact, ImpactEffect } from '../../model/plan.ts';
import { ProviderError } from './provider-error.ts';

/** Objects counted at once: a few requests in flight, as for the other per-object reads. */
const COUNT_CONCURRENCY = 4;

export interface ConsumerCounting {
  consumers: ConsumerKind;
  /** What the object's high-risk steps (all of them, e.g. unpublish → update → publish) do to its consumers. */
  effectOf: (steps: readonly Change[]) => ImpactEffect;
  /** One object's consumers, from its first step (it carries the object's ids); rejects when unreadable. */
  read: (step: Change) => Promise<number>;
}

/**
 * Counts each changed object's consumers once, however many high-risk steps it has, with a few
 * requests in flight: requests are O(changed objects). Each count is recorded on every step of its
 * object; one that cannot be read is an `unknown` Impact naming why, never 0.
 */
export async function countConsumersPerObject(changes: readonly Change[], counting: ConsumerCounting): Promise<Map<string, Impact>> {
  const objects = new Map<string, Change[]>();
  for (const change of changes) {
    if (change.action === 'create') continue; // nothing holds an object that does not exist yet
    const object = `${change.key}@${JSON.stringify(change.ref ?? {})}`;
    objects.set(object, [...(objects.get(object) ?? []), change]);
  }
  const limit = pLimit(COUNT_CONCURRENCY);
  const impacts = new Map<string, Impact>();
  await Promise.all(
    [...objects.values()].map((steps) =>
      limit(async () => {
        const base = { consumers: counting.consumers, effect: counting.effectOf(steps) };
        let impact: Impact;
        try {
          impact = { ...base, count: await counting.read(steps[0]!) };
        } catch (error) {
          impact = { ...base, unknown: unreadable(error) };
        }
        for (const step of steps) impacts.set(step.id, impact);
      }),
    ),
  );
  return impacts;
}

/** `HTTP 503` for a refusal, else the one-line reason (a timeout, a refused connection, an answer of the wrong shape). */
function unreadable(error: unknown): string {
  if (error instanceof ProviderError && error.status !== undefined && error.status >= 400) return `HTTP ${error.status}`;
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n')[0]!.slice(0, 200);
}
