import type { Diagnostic } from '../model/diagnostic.ts';
import type { Locate, ProductSource } from '../model/product.ts';
import type { Config } from '../model/target.ts';
import { locateKeyOf } from '../model/positions.ts';
import { showValue } from '../model/display.ts';
import { fieldName } from './schema-messages.ts';
import { detectSecret } from '../model/secrets.ts';
import { suggestNearest } from './suggest.ts';
import { findAll, type Finder } from './walk-document.ts';

export { detectSecret } from '../model/secrets.ts';

/**
 * Cross-file rules: what no single file's schema can see. Each returns every problem it finds,
 * with a position in the file that must change.
 */

const MAX_LISTED = 5;

/** `product/duplicate-name`: two documents define the same product; both are reported. */
export function checkDuplicateNames(products: readonly ProductSource[]): Diagnostic[] {
  // A list only for a repeated name: one per product was 100,000 arrays kept through validation.
  // Replacing a key's value keeps its place, so names stay in the order they first appear.
  const byName = new Map<string, ProductSource | ProductSource[]>();
  for (const product of products) {
    const name = product.spec.name;
    const seen = byName.get(name);
    if (seen === undefined) byName.set(name, product);
    else if (Array.isArray(seen)) seen.push(product);
    else byName.set(name, [seen, product]);
  }
  const diagnostics: Diagnostic[] = [];
  for (const [name, sources] of byName) {
    if (!Array.isArray(sources)) continue;
    for (const source of sources) {
      // Five places are enough to find them all; 5,000 copies must not make 5,000 lines of 5,000 places.
      const others = sources.filter((s) => s !== source);
      const listed = others.slice(0, MAX_LISTED).map((s) => where(s.locate(['name'])));
      if (others.length > MAX_LISTED) listed.push(`${others.length - MAX_LISTED} more places`);
      diagnostics.push({
        severity: 'error',
        rule: 'product/duplicate-name',
        message: `product ${showValue(name, { identity: true })} is also defined at ${listed.join(', ')}`,
        fix: 'product names are identities on every target: rename one of them or remove the duplicate',
        source: source.locate(['name']),
        product: name,
      });
    }
  }
  return diagnostics;
}

/** `product/unknown-target`: a binding block names a target that apiproducts.yaml does not define. */
export function checkUnknownTargets(products: readonly ProductSource[], config: Config): Diagnostic[] {
  const known = config.targets.map((t) => t.name);
  const diagnostics: Diagnostic[] = [];
  for (const product of products) {
    for (const target of Object.keys(product.spec.targets)) {
      if (known.includes(target)) continue;
      const near = suggestNearest(target, known);
      const list = known.length ? `known targets: ${known.join(', ')}` : `${config.file} defines no targets`;
      diagnostics.push({
        severity: 'error',
        rule: 'product/unknown-target',
        message: `target ${showValue(target, { identity: true })} is not defined in ${config.file}`,
        fix: near ? `did you mean "${near}"? (${list})` : `use a target defined in ${config.file} or add it there (${list})`,
        source: locateKeyOf(product, ['targets', target]),
        product: product.spec.name,
        target,
      });
    }
  }
  return diagnostics;
}

/** `['targets', 'apigee-prod', 'passwordEnv']` → `APIGEE_PROD_PASSWORD`: a name to suggest for the variable. */
function envName(path: readonly string[]): string {
  const target = path.length >= 3 && path[0] === 'targets' ? (path[1] ?? '') : '';
  const prefix = /^[A-Za-z0-9._-]{1,63}$/.test(target) ? target.toUpperCase().replace(/[^A-Z0-9]+/g, '_') : 'API';
  const kind = /^(token|username|password)Env$/.exec(path.at(-1) ?? '')?.[1]?.toUpperCase() ?? 'TOKEN';
  return `${/^[A-Z_]/.test(prefix) ? prefix : `T_${prefix}`}_${kind}`;
}

function where(p: { file: string; line: number; column: number }): string {
  return `${p.file}:${p.line}:${p.column}`;
}

/**
 * `secret/literal`: every string value in a parsed document (product file or apiproducts.yaml),
 * whatever field it is in, even fields the schema rejects. Runs on raw documents at load time, so
 * a secret is reported even in a file with other errors. Messages name the field, never the value.
 * Keys are scanned too (a token pasted as a key), and reported at the key (`locateKey`).
 */
export function checkSecretLiterals(value: unknown, locate: Locate, path: string[] = [], locateKey: Locate = locate): Diagnostic[] {
  return findAll(value, [secretLiteralFinder(locate, locateKey)], path)[0]!;
}

/** checkSecretLiterals as one of the checks of a shared walk (walk-document.ts findAll). */
export function secretLiteralFinder(locate: Locate, locateKey: Locate = locate): Finder {
  const found: Diagnostic[] = [];
  return {
    found,
    leaf(text, at) {
      const label = typeof text === 'string' ? detectSecret(text) : undefined;
      if (label) found.push(literalDiagnostic(label, [...at], locate));
    },
    key(key, at) {
      const label = detectSecret(key);
      if (!label) return;
      found.push({
        severity: 'error',
        rule: 'secret/literal',
        message: `a key ${at.length ? `in ${fieldName(at)}` : 'at the top level'} looks like ${label}; credentials must come from an environment variable named by tokenEnv`,
        fix: 'remove the key and revoke the credential (it may already be in Git history); targets read credentials from the environment variable named by tokenEnv in apiproducts.yaml',
        source: locateKey([...at, key]),
      });
    },
  };
}

function literalDiagnostic(label: string, path: string[], locate: Locate): Diagnostic {
  const field = fieldName(path) || 'the document';
  const envField = /(token|username|password)Env$/.exec(path.at(-1) ?? '')?.[0];
  return {
    severity: 'error',
    rule: 'secret/literal',
    message: envField
      ? `${field} contains what looks like ${label}; ${envField} must hold the NAME of an environment variable, not the credential`
      : `${field} contains what looks like ${label}; credentials must come from an environment variable named by tokenEnv`,
    fix: envField
      ? `remove the value, revoke it (it may already be in Git history), export the new one as e.g. ${envName(path)} and write ${envField}: ${envName(path)}`
      : 'remove the value and revoke it (it may already be in Git history); targets read credentials from the environment variable named by tokenEnv in apiproducts.yaml',
    source: locate(path),
  };
}
