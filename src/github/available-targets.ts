import { TARGET_SKIPPED, type Diagnostic } from '../model/diagnostic.ts';
import type { TargetConfig } from '../model/target.ts';

/** The environment variables a target names for its credentials (its provider knows which settings). */
export type CredentialVariables = (target: TargetConfig) => string[];

/** The credential variables a target names that are unset or empty (none for sandbox targets). */
export function missingCredentials(target: TargetConfig, env: NodeJS.ProcessEnv, variables: CredentialVariables): string[] {
  if (target.sandbox) return [];
  return variables(target).filter((name) => !env[name]);
}

/**
 * `--skip-missing-credentials`: the targets whose credentials are in the environment, and a
 * warning for each one left out. In a pull request from a fork, or a workflow that maps only some
 * secrets, the plan covers what it can and says what it could not.
 */
export function targetsWithCredentials(
  targets: readonly TargetConfig[],
  env: NodeJS.ProcessEnv,
  variables: CredentialVariables,
): { targets: TargetConfig[]; skipped: Diagnostic[] } {
  const kept: TargetConfig[] = [];
  const skipped: Diagnostic[] = [];
  for (const target of targets) {
    const missing = missingCredentials(target, env, variables);
    if (missing.length === 0) {
      kept.push(target);
      continue;
    }
    skipped.push({
      severity: 'warning',
      rule: TARGET_SKIPPED,
      target: target.name,
      message: `not planned: ${missing.join(' and ')} ${missing.length === 1 ? 'is' : 'are'} not set`,
      fix: `in a workflow, map the repository secret to it (env: ${missing[0]}: \${{ secrets.${missing[0]} }}); pull requests from forks get no secrets`,
    });
  }
  return { targets: kept, skipped };
}
