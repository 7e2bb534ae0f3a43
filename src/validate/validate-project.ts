import type { Diagnostic } from '../model/diagnostic.ts';
import { sanitizeDiagnostic } from '../model/display.ts';
import type { ProductSet } from '../model/product.ts';
import type { Config } from '../model/target.ts';
import type { CachedDocument } from '../load/document-cache.ts';
import type { LoadedProject } from '../load/load-project.ts';
import type { ProviderKind } from '../providers/provider.ts';
import { checkConfig, type CheckedConfig } from './config.ts';
import { capPerFile, sortDiagnostics } from './diagnostic-order.ts';
import { checkProductDocuments, type CheckedProducts } from './product-documents.ts';
import { checkSoundBindings, projectRuleSteps } from './project-rules.ts';
import { runSteps, runStepsPausing, type Steps } from '../model/steps.ts';
import { checkPolicies } from './policies/check-policies.ts';
import { readPolicySettings } from './policies/policy-config.ts';
import { checkDuplicateNames, checkUnknownTargets } from './rules.ts';

export interface ValidatedProject {
  /** Absent when apiproducts.yaml is missing or does not match its schema. */
  config?: Config;
  /** Schema-valid product documents only; use them only when `diagnostics` has no errors. */
  products: ProductSet;
  /** Every problem of loading and validating, sorted by file, line, column (file-less ones first). */
  diagnostics: Diagnostic[];
  /** Documents whose own checks found nothing, for the document cache (load/document-cache.ts). */
  passed: CachedDocument[];
}

/**
 * Validates a loaded project, reporting everything at once: each document (secrets, schema,
 * characters), then the rules across files and the providers', then the policy rules switched on
 * in apiproducts.yaml and policies/*.yaml (src/validate/policies/). When apiproducts.yaml is unusable,
 * the checks that need targets (unknown target, provider rules) are skipped, and the rest still
 * run. Whatever a rule wrote, what leaves here holds no raw control character and no credential
 * found in the input.
 */
export function validateProject(loaded: LoadedProject, kinds: (kind: string) => ProviderKind | undefined, cwd: string): ValidatedProject {
  return finishValidation(loaded, kinds, checkConfig(loaded.config, cwd), checkProductDocuments(loaded.products));
}

/**
 * validateProject, giving the event loop a turn whenever `pause` says so between product files:
 * requests already sent are answered meanwhile. Same result as validateProject.
 */
export async function validateProjectPausing(
  loaded: LoadedProject,
  kinds: (kind: string) => ProviderKind | undefined,
  cwd: string,
  pause: () => Promise<void> | undefined,
): Promise<ValidatedProject> {
  const config = checkConfig(loaded.config, cwd);
  const documents: CheckedProducts = { products: [], diagnostics: [], secrets: [], refused: [], passed: [] };
  for (const file of loaded.products) {
    const checked = checkProductDocuments([file]);
    documents.products.push(...checked.products);
    documents.diagnostics.push(...checked.diagnostics);
    documents.secrets.push(...checked.secrets);
    documents.refused.push(...checked.refused);
    documents.passed.push(...checked.passed);
    await pause();
  }
  return runStepsPausing(finishSteps(loaded, kinds, config, documents), pause);
}

function finishValidation(loaded: LoadedProject, kinds: (kind: string) => ProviderKind | undefined, config: CheckedConfig, documents: CheckedProducts): ValidatedProject {
  return runSteps(finishSteps(loaded, kinds, config, documents));
}

/** The rules across files and the policies, in steps (steps.ts): what read while loading runs between answers. */
function* finishSteps(loaded: LoadedProject, kinds: (kind: string) => ProviderKind | undefined, config: CheckedConfig, documents: CheckedProducts): Steps<ValidatedProject> {
  const products: ProductSet = { products: documents.products };
  const diagnostics = [...loaded.diagnostics, ...config.diagnostics, ...documents.diagnostics];
  const policies = readPolicySettings(loaded.config.document, loaded.policies);
  diagnostics.push(...policies.diagnostics);
  if (config.config) {
    diagnostics.push(...(yield* projectRuleSteps(config.config, products, kinds)));
    // Refused by the schema, still bound to a target that does not exist: said now, not after the fix.
    const refused = documents.refused.map((product) => product.source);
    diagnostics.push(...checkUnknownTargets(refused, config.config));
    diagnostics.push(...checkSoundBindings(config.config, documents.refused, kinds));
    const known = new Set([...products.products, ...refused].map((product) => product.spec.name));
    diagnostics.push(...checkPolicies(policies.settings, products.products, known, config.config, kinds));
  }
  else diagnostics.push(...checkDuplicateNames(products.products));
  const secrets = [...config.secrets, ...documents.secrets, ...policies.secrets].sort((a, b) => b.length - a.length);
  const sanitized = diagnostics.map((d) => sanitizeDiagnostic(d, secrets));
  const project: ValidatedProject = { products, diagnostics: capPerFile(sortDiagnostics(sanitized)), passed: documents.passed };
  if (config.config) project.config = config.config;
  return project;
}
