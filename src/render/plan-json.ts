import type { Plan } from '../model/plan.ts';

/** The plan file format of DESIGN §6: the Plan value as it is, nothing added or dropped. */
export function renderPlanJson(plan: Plan): string {
  return JSON.stringify(plan, null, 2) + '\n';
}
