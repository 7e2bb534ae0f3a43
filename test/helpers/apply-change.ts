import type { Change } from '../../src/model/plan.ts';
import type { Provider } from '../../src/providers/provider.ts';
import type { Attempted } from '../../src/providers/transport/retry.ts';

/** One change through a provider, its refusal thrown as the error it reported (for `failure(...)`). */
export async function applyChange(provider: Provider, change: Change): Promise<Attempted<void>> {
  const attempted = await provider.apply(change);
  if (attempted.error !== undefined) throw attempted.error;
  return attempted;
}
