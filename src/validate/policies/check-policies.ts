import type { Diagnostic } from '../../model/diagnostic.ts';
import { showValue } from '../../model/display.ts';
import type { ProductSource } from '../../model/product.ts';
import type { Config } from '../../model/target.ts';
import { suggestNearest } from '../suggest.ts';
import { POLICY_CATALOGUE } from './catalogue.ts';
import type { PolicySetting } from './policy-config.ts';
import type { PolicyContext, PolicyOptions } from './rule.ts';
import type { ProviderKind } from '../../providers/provider.ts';
import { compileNamePattern } from './safe-pattern.ts';
import { boundTargets } from './where.ts';

/**
 * Every rule switched on, over every schema-valid product: a finding becomes a diagnostic of the
 * rule's severity (`policy/<id>`, with the product, the target when there is one, and the
 * offending key), unless the rule exempts the product. The settings are checked first: an
 * exemption of a product that does not exist, a target that apiproducts.yaml does not define and
 * a pattern that is invalid or could backtrack catastrophically are errors at their line; an
 * exemption the product no longer needs is a warning, so that exemptions do not outlive their reason.
 * `known` names every product document, also those the schema refused (not "unknown" for that).
 */
export function checkPolicies(
  settings: readonly PolicySetting[],
  products: readonly ProductSource[],
  known: ReadonlySet<string>,
  config: Config,
  kinds: (kind: string) => ProviderKind | undefined,
): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  const targetNames = new Set(config.targets.map((target) => target.name));
  const providerOf = new Map(config.targets.map((target) => [target.name, kinds(target.provider)]));
  const context: PolicyContext = { authProtects: (product) => providerOf.get(product.target)?.authProtects?.(product) ?? true };
  // Each setting's problems stay together, in setting order; the products are walked once, so
  // that a product's bound targets are worked out once for every rule, not kept for all products.
  const checks = settings.map((setting) => {
    const own: Diagnostic[] = [];
    const options = checkOptions(setting, targetNames, own);
    const exempt = checkExemptions(setting, known, own);
    return { setting, own, options, exempt, rule: POLICY_CATALOGUE[setting.id], needed: new Set<string>() };
  });
  const active = checks.filter((check) => check.options !== undefined);
  for (const product of products) {
    const bound = active.length > 0 ? boundTargets(product, targetNames) : [];
    for (const { setting, own, options, exempt, rule, needed } of active) {
      const findings = rule.check(product, bound, options!, context);
      if (findings.length === 0) continue;
      if (exempt.has(product.spec.name)) {
        needed.add(product.spec.name);
        continue;
      }
      for (const finding of findings) {
        const diagnostic: Diagnostic = {
          severity: setting.severity,
          rule: `policy/${setting.id}`,
          message: finding.message,
          fix: `${finding.fix}; or exempt it: add {product: ${product.spec.name}, reason: …} to ${setting.id}.exempt`,
          source: finding.source,
          product: product.spec.name,
        };
        if (finding.targets.length === 1) diagnostic.target = finding.targets[0]!;
        own.push(diagnostic);
      }
    }
  }
  for (const { setting, own, options, exempt, needed } of checks) {
    diagnostics.push(...own);
    if (!options) continue;
    for (const [name, exemption] of exempt) {
      if (needed.has(name) || !products.some((product) => product.spec.name === name)) continue;
      diagnostics.push({
        severity: 'warning',
        rule: 'policy/unused-exemption',
        message: `product ${showValue(name, { identity: true })} passes ${setting.id}: its exemption is no longer needed`,
        fix: `remove it from ${setting.id}.exempt`,
        source: exemption.source,
        product: name,
      });
    }
  }
  return diagnostics;
}

/** The rule's options made usable; undefined when they cannot be (a bad pattern), after saying why. */
function checkOptions(setting: PolicySetting, targetNames: ReadonlySet<string>, diagnostics: Diagnostic[]): PolicyOptions | undefined {
  const options: PolicyOptions = {};
  const written = setting.options;
  if (written.targets) {
    options.targets = written.targets;
    written.targets.forEach((target, index) => {
      if (targetNames.has(target)) return;
      const near = suggestNearest(target, [...targetNames]);
      diagnostics.push({
        severity: 'error',
        rule: 'policy/unknown-target',
        message: `${setting.id}.targets names ${showValue(target, { identity: true })}, which is not a target of apiproducts.yaml`,
        fix: near ? `did you mean "${near}"?` : `known targets: ${[...targetNames].join(', ')}`,
        source: setting.locator.locate([...setting.path, 'targets', index]),
      });
    });
  }
  if (written.label !== undefined) options.label = written.label;
  if (written.pattern !== undefined) {
    const compiled = compileNamePattern(written.pattern);
    if ('problem' in compiled) {
      diagnostics.push({
        severity: 'error',
        rule: compiled.problem === 'invalid' ? 'policy/invalid-pattern' : 'policy/unsafe-pattern',
        message: `${setting.id}.pattern ${compiled.problem === 'invalid' ? 'is not a valid regular expression' : 'is refused'}: ${compiled.detail}`,
        fix: compiled.problem === 'invalid'
          ? 'write a JavaScript regular expression (unicode mode), e.g. ^[a-z]+(-[a-z]+)*$'
          : 'write it so that each name matches one way only: no nested quantifiers such as (a+)+, no overlapping alternatives such as (a|ab)*; e.g. ^[a-z]+(-[a-z]+)*$',
        source: setting.locator.locate([...setting.path, 'pattern']),
      });
      return undefined;
    }
    options.pattern = { source: written.pattern, regex: compiled.regex };
  }
  return options;
}

/** Exemptions by product name; an unknown or repeated one is an error and is left out. */
function checkExemptions(setting: PolicySetting, known: ReadonlySet<string>, diagnostics: Diagnostic[]): Map<string, PolicySetting['exempt'][number]> {
  const exempt = new Map<string, PolicySetting['exempt'][number]>();
  for (const exemption of setting.exempt) {
    const name = showValue(exemption.product, { identity: true });
    if (!known.has(exemption.product)) {
      const near = suggestNearest(exemption.product, [...known]);
      diagnostics.push({
        severity: 'error',
        rule: 'policy/unknown-product',
        message: `${setting.id}.exempt names product ${name}, which no file under products/ defines`,
        fix: near ? `did you mean "${near}"?` : 'name a product (its name: field), or remove the exemption',
        source: exemption.source,
      });
    } else if (exempt.has(exemption.product)) {
      const first = exempt.get(exemption.product)!.source;
      diagnostics.push({
        severity: 'error',
        rule: 'policy/duplicate-exemption',
        message: `product ${name} is already exempted from ${setting.id} at ${first.file}:${first.line}:${first.column}`,
        fix: 'keep one exemption per product, with one reason',
        source: exemption.source,
        product: exemption.product,
      });
    } else {
      exempt.set(exemption.product, exemption);
    }
  }
  return exempt;
}
