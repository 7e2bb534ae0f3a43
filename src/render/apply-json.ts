import type { ApplyReport, Plan } from '../model/plan.ts';

/** Bumped whenever `apply --format json` changes shape (schemas/apply-output.schema.json); the plan inside carries its own version. */
export const APPLY_OUTPUT_FORMAT_VERSION = 1;

/** `apply --format json`: the plan that ran and its report, null when the plan had nothing to do. */
export function renderApplyJson(plan: Plan, report: ApplyReport | null): string {
  return JSON.stringify({ formatVersion: APPLY_OUTPUT_FORMAT_VERSION, plan, report }, null, 2) + '\n';
}
