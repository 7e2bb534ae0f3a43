import { UserError } from '../model/diagnostic.ts';
import { PLAN_FORMAT_VERSION, type Plan } from '../model/plan.ts';
import type { TargetIdentity } from '../model/target.ts';
import { canonicalJson, fingerprint } from '../model/fingerprint.ts';

/** The plan file's text: the plan with a digest over everything else in it. */
export function serialisePlanFile(plan: Plan): string {
  const { digest: _ignored, ...content } = plan;
  return JSON.stringify({ ...content, digest: fingerprint(content) }, null, 2) + '\n';
}

/**
 * Reads a saved plan and refuses anything apply must not trust: not a plan, another format
 * version, or content that no longer matches its digest.
 */
export function parsePlanFile(text: string, file: string): Plan {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new UserError(`${file} is not a plan file: ${(error as Error).message}`);
  }
  if (!isRecord(value) || !('formatVersion' in value) || !Array.isArray(value.changes) || !Array.isArray(value.targets)) {
    throw new UserError(`${file} is not a plan file made by \`apiproducts plan --out\``);
  }
  if (value.formatVersion !== PLAN_FORMAT_VERSION) {
    throw new UserError(
      `${file} has plan format version ${canonicalJson(value.formatVersion)}; this apiproducts reads version ${PLAN_FORMAT_VERSION}: make the plan again with the version that will apply it`,
    );
  }
  const { digest, ...content } = value;
  if (typeof digest !== 'string' || digest !== fingerprint(content)) {
    throw new UserError(`${file} was modified after it was written (its digest does not match its content); make a new plan with \`apiproducts plan --out ${file}\``);
  }
  return value as unknown as Plan;
}

/** Human-readable differences between the identity a plan was made against and the target now. */
export function identityMismatch(planned: TargetIdentity, current: TargetIdentity): string | undefined {
  if (canonicalJson(planned) === canonicalJson(current)) return undefined;
  return `the plan was made against ${describeIdentity(planned)}, but the target now points at ${describeIdentity(current)}`;
}

function describeIdentity(identity: TargetIdentity): string {
  return [identity.url, identity.portal && `portal ${identity.portal}`, identity.org && `org ${identity.org}`].filter(Boolean).join(', ');
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
