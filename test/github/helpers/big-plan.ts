import type { Plan } from '../../../src/model/plan.ts';
import { desired, live, planFor } from '../../fixtures/plan-cases.ts';

/**
 * A plan of `creates` new products with `descriptionLength`-character descriptions, plus `risky`
 * unpublishes of published products (high risk): big enough to outgrow a comment or a step summary.
 */
export function bigPlan(creates: number, risky = 0, descriptionLength = 400): Plan {
  const text = (i: number) => `Product ${i}: ` + 'lorem ipsum dolor sit amet '.repeat(Math.ceil(descriptionLength / 27)).slice(0, descriptionLength);
  const wanted = [];
  const existing = [];
  for (let i = 0; i < creates; i++) wanted.push(desired(`product-${String(i).padStart(5, '0')}`, 'published', { description: text(i) }));
  for (let i = 0; i < risky; i++) {
    const key = `retiring-${String(i).padStart(5, '0')}`;
    wanted.push(desired(key, 'draft'));
    existing.push(live(key, 'published'));
  }
  return planFor(wanted, existing);
}
