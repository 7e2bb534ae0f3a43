import type { Change } from '../model/plan.ts';
import { mayHaveBeenApplied } from '../apply/retry.ts';
import { ProviderError } from './provider.ts';

/**
 * Creates and deletes whose last try may have reached the server though its answer was lost
 * (timeout, dropped connection, 5xx after processing). The executor retries them; this makes the
 * retry check first, so that a product is never created twice and a delete that worked counts.
 */
export class UncertainWrites {
  private readonly uncertain = new Set<string>();

  /** Deletes; a 404 on a retry after a lost answer means that try deleted it: done. */
  async delete(change: Change, remove: () => Promise<void>): Promise<void> {
    try {
      await remove();
    } catch (error) {
      const goneAfterUncertainTry = this.uncertain.has(change.id) && error instanceof ProviderError && error.status === 404;
      if (mayHaveBeenApplied(error)) this.uncertain.add(change.id);
      if (!goneAfterUncertainTry) throw error;
    }
    this.uncertain.delete(change.id);
  }

  /**
   * Creates, unless an earlier try whose answer was lost already did: `alreadyCreated` looks the
   * product up and throws when something else holds its name.
   */
  async create(change: Change, create: () => Promise<void>, alreadyCreated: () => Promise<boolean>): Promise<void> {
    if (this.uncertain.has(change.id) && (await alreadyCreated())) {
      this.uncertain.delete(change.id);
      return;
    }
    try {
      await create();
      this.uncertain.delete(change.id);
    } catch (error) {
      if (mayHaveBeenApplied(error)) this.uncertain.add(change.id);
      throw error;
    }
  }
}
