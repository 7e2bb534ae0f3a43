import type { Plan } from '../model/plan.ts';
import { serialisePlanFile } from '../plan/plan-file.ts';

/** The plan file format of DESIGN §6: the Plan value as it is, sealed with its digest. */
export function renderPlanJson(plan: Plan): string {
  return serialisePlanFile(plan);
}
