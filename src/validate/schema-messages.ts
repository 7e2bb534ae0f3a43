import type { ErrorObject } from 'ajv';
import { pointerToPath } from '../model/positions.ts';
import { firstOffender, showChar, showValue } from '../model/display.ts';
import { detectSecret } from '../model/secrets.ts';
import { suggestNearest } from './suggest.ts';

/** One schema problem in plain English, before it is given a file position. */
export interface SchemaProblem {
  /** `schema/<keyword>` in kebab-case, e.g. `schema/additional-properties`. */
  rule: string;
  message: string;
  fix?: string;
  /** Path of the node the problem is about. */
  path: string[];
  /** Point at the key of the last path segment rather than at its value (unknown fields, bad names). */
  atKey: boolean;
}

type AjvError = ErrorObject<string, Record<string, unknown>, unknown>;

/**
 * Turns ajv's raw errors (verbose mode, allErrors) into one useful problem per location:
 * oneOf/anyOf cascades collapse to the alternative the value was evidently aiming at, a wrong
 * type hides the other complaints about the same value, and a misspelt required field is reported
 * once, as the unknown field with its suggestion.
 */
export function explainSchemaErrors(errors: readonly AjvError[]): SchemaProblem[] {
  const relevant = collapseAlternatives(errors.filter((e) => e.keyword !== 'if' && e.keyword !== 'propertyNames'));
  const typeFailed = new Set(relevant.filter((e) => e.keyword === 'type').map((e) => e.instancePath));
  const kept = relevant.filter((e) => e.keyword === 'type' || !typeFailed.has(e.instancePath));
  const problems = kept.map(explain);
  // `servce:` gives both "unknown field servce (did you mean service?)" and "missing service": keep the first.
  const suggested = new Set(problems.filter((p) => p.rule === 'schema/additional-properties' && p.fix).map((p) => `${p.path.slice(0, -1).join('/')}#${p.fix}`));
  const seen = new Set<string>();
  return problems.filter((p) => {
    if (p.rule === 'schema/required' && suggested.has(`${p.path.join('/')}#${missingFix(p)}`)) return false;
    const key = `${p.path.join('/')}|${p.atKey}|${p.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** The suggestion an unknown field would carry if it were a misspelling of this missing field. */
function missingFix(p: SchemaProblem): string {
  const field = /"([^"]+)"$/.exec(p.message)?.[1] ?? '';
  return `did you mean "${field}"?`;
}

function collapseAlternatives(errors: AjvError[]): AjvError[] {
  const alternative = errors.find((e) => e.keyword === 'oneOf' || e.keyword === 'anyOf');
  if (!alternative) return errors;
  const prefix = `${alternative.schemaPath}/`;
  const inBranch = (e: AjvError): boolean =>
    e.schemaPath.startsWith(prefix) && (e.instancePath === alternative.instancePath || e.instancePath.startsWith(`${alternative.instancePath}/`));
  const branchErrors = errors.filter(inBranch);
  const rest = errors.filter((e) => e !== alternative && !inBranch(e));
  const branches = new Map<string, AjvError[]>();
  for (const e of branchErrors) {
    const index = e.schemaPath.slice(prefix.length).split('/')[0] ?? '';
    branches.set(index, [...(branches.get(index) ?? []), e]);
  }
  // A branch whose root type (or enum type) differs from the value's is not what the user meant.
  const plausible = [...branches.values()].filter((list) => !list.some((e) => e.instancePath === alternative.instancePath && wrongKind(e)));
  plausible.sort((a, b) => a.length - b.length);
  const chosen = plausible[0];
  if (chosen) return collapseAlternatives([...rest, ...chosen]);
  // No alternative fits the value's kind: one message listing them all (kept out of the recursion).
  return [...collapseAlternatives(rest), alternative];
}

function wrongKind(e: AjvError): boolean {
  if (e.keyword === 'type') return true;
  if (e.keyword === 'enum' && Array.isArray(e.params['allowedValues'])) {
    return !(e.params['allowedValues'] as unknown[]).some((v) => kindOf(v) === kindOf(e.data));
  }
  return false;
}

/** `add flavour: edge or flavour: x (Apigee: …)`, when the schema says what the field holds. */
function requiredFix(key: string, parent: unknown): string | undefined {
  const field = (parent as { properties?: Record<string, { enum?: unknown[]; description?: string }> } | undefined)?.properties?.[key];
  if (!field || typeof field !== 'object' || !field.description) return undefined;
  const values = field.enum?.length ? field.enum.map((value) => `${key}: ${String(value)}`).join(' or ') : `${key}: …`;
  return `add ${values} (${field.description})`;
}

function explain(e: AjvError): SchemaProblem {
  const path = pointerToPath(e.instancePath);
  const where = fieldName(path);
  const rule = `schema/${e.keyword.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
  const problem = (message: string, fix?: string, at: string[] = path, atKey = false): SchemaProblem =>
    fix === undefined ? { rule, message, path: at, atKey } : { rule, message, fix, path: at, atKey };
  const p = e.params;
  switch (e.keyword) {
    case 'required': {
      const missing = String(p['missingProperty']);
      const message = path.length ? `${where} is missing required field "${missing}"` : `missing required field "${missing}"`;
      // A field one provider requires (`if provider … then required`) says what it holds; the
      // neutral ones keep their shape fixes (schema.ts SHAPE_FIXES).
      return problem(message, e.schemaPath.includes('/then/') ? requiredFix(missing, e.parentSchema) : undefined);
    }
    case 'additionalProperties': {
      const key = String(p['additionalProperty']);
      const allowed = Object.keys((e.parentSchema as { properties?: object } | undefined)?.properties ?? {});
      const near = suggestNearest(key, allowed);
      const fix = near ? `did you mean "${near}"?` : allowed.length ? `allowed fields: ${allowed.join(', ')}` : undefined;
      return problem(`unknown field ${showValue(key, { identity: true })}${path.length ? ` in ${where}` : ''}`, fix, [...path, key], true);
    }
    case 'enum': {
      const allowed = (p['allowedValues'] as unknown[]).map(String);
      const near = typeof e.data === 'string' ? suggestNearest(e.data, allowed) : undefined;
      return problem(`${where} must be one of ${allowed.join(', ')}`, near ? `did you mean "${near}"?` : undefined);
    }
    case 'type':
      return problem(`${where || 'the document'} must be ${typeNames(p['type'])}, not ${kindOf(e.data)}`, typeFix(p['type'], e.data));
    case 'pattern': {
      const pattern = String(p['pattern']);
      if (e.propertyName !== undefined) {
        const name = e.propertyName;
        return problem(`name ${showValue(name, { identity: true })} in ${where} ${patternText(pattern)}${offender(name, pattern)}`, undefined, [...path, name], true);
      }
      return problem(`${where} ${patternText(pattern)}${offender(e.data, pattern)}`, patternFix(pattern, e.data));
    }
    case 'format':
      return problem(`${where} must be an absolute URL such as https://example.com/path`);
    case 'minimum':
      return problem(`${where} must be at least ${p['limit']}`);
    case 'maximum':
      return problem(`${where} must be at most ${p['limit']}`);
    case 'minLength':
      return problem(p['limit'] === 1 ? `${where} must not be empty` : `${where} must be at least ${p['limit']} characters long`);
    case 'minItems':
      return problem(`${where} must list at least ${plural(Number(p['limit']), 'item')}`);
    case 'minProperties': {
      const allowed = Object.keys((e.parentSchema as { properties?: object } | undefined)?.properties ?? {});
      return problem(`${where} must have at least ${plural(Number(p['limit']), 'entry', 'entries')}`, allowed.length ? `set at least one of ${allowed.join(', ')}` : undefined);
    }
    case 'uniqueItems': {
      const [first, second] = [Number(p['j']), Number(p['i'])].sort((a, b) => a - b);
      return problem(`${where}[${second}] repeats ${where}[${first}]`, 'remove the duplicate', [...path, String(second)]);
    }
    case 'oneOf':
    case 'anyOf':
      return problem(`${where} must be ${describeAlternatives(e)}`);
    default:
      return problem(`${where || 'the document'} ${e.message ?? 'is not valid'}`);
  }
}

/** `['targets','sandbox-api7','services','0','service']` → `targets.sandbox-api7.services[0].service`. */
export function fieldName(path: readonly string[]): string {
  return path.reduce((name, segment) => (/^\d+$/.test(segment) ? `${name}[${segment}]` : name ? `${name}.${segment}` : segment), '');
}

function describeAlternatives(e: AjvError): string {
  const branches = ((e.schema as unknown[] | undefined) ?? []).map((branch) => {
    const b = branch as { enum?: unknown[]; type?: string; required?: string[] };
    if (b.enum) return b.enum.map(String).join(', ');
    if (b.type === 'object' && b.required?.length) return `{${b.required.join(', ')}: …}`;
    return b.type ? typeNames(b.type) : 'another form';
  });
  return branches.length > 1 ? `${branches.slice(0, -1).join(', ')} or ${branches.at(-1)}` : branches.join('');
}

const TYPE_NAMES: Record<string, string> = {
  string: 'a string',
  integer: 'a whole number',
  number: 'a number',
  boolean: 'true or false',
  array: 'a list',
  object: 'a mapping (key: value)',
  null: 'empty',
};

function typeNames(type: unknown): string {
  const list = Array.isArray(type) ? type : [type];
  return list.map((t) => TYPE_NAMES[String(t)] ?? String(t)).join(' or ');
}

/** What the value is, in the same words; never the value itself, which might be a secret. */
function kindOf(value: unknown): string {
  if (value === null || value === undefined) return 'empty';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'number' && Number.isNaN(value)) return '.nan (not a number)';
  if (typeof value === 'number' && !Number.isFinite(value)) return value > 0 ? '.inf (infinity)' : '-.inf (minus infinity)';
  if (typeof value === 'number') return Number.isInteger(value) ? 'a whole number' : 'a fractional number';
  if (typeof value === 'boolean') return 'true or false';
  return TYPE_NAMES[typeof value] ?? typeof value;
}

/** Patterns the schemas use, explained; an unknown pattern is quoted as is. */
const PATTERN_TEXT: Record<string, string> = {
  '^[a-z0-9][a-z0-9._-]{0,62}$': "must be 1-63 lowercase letters, digits, '.', '_' or '-', starting with a letter or digit",
  '^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$': "must be 1-63 letters, digits, '.', '_' or '-', starting with a letter or digit",
  '^[A-Z_][A-Z0-9_]*$': 'must be the NAME of an environment variable (upper-case letters, digits and _), such as API7_TOKEN',
  '\\S': 'is blank (only spaces): write something',
};

function patternText(pattern: string): string {
  return PATTERN_TEXT[pattern] ?? `must match the pattern ${pattern}`;
}

/** The characters each identifier pattern allows, to point at the first one it does not. */
const PATTERN_CHARS: Record<string, RegExp> = {
  '^[a-z0-9][a-z0-9._-]{0,62}$': /^[a-z0-9._-]$/,
  '^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$': /^[A-Za-z0-9._-]$/,
};

/** `; found "\u202E" (U+202E RIGHT-TO-LEFT OVERRIDE) at character 4`: what is wrong, shown escaped. */
function offender(value: unknown, pattern: string): string {
  const allowed = PATTERN_CHARS[pattern];
  if (!allowed || typeof value !== 'string' || value === '') return '';
  const found = firstOffender(value, allowed);
  if (found) return `; found ${showChar(found.char)} at character ${found.position}`;
  if (!/^[A-Za-z0-9]/.test(value)) return `; it starts with ${showChar(value[0] ?? '')}`;
  return `; it is ${[...value].length} characters long`;
}

function patternFix(pattern: string, value: unknown): string | undefined {
  if (pattern === '^[A-Z_][A-Z0-9_]*$') return 'put the credential in an environment variable and write only its name here';
  if (pattern !== '^[a-z0-9][a-z0-9._-]{0,62}$' || typeof value !== 'string' || detectSecret(value)) return undefined;
  // `Payments API` → `payments-api`; invisible characters are dropped, not turned into `-`.
  const slug = value
    .normalize('NFKD')
    .replace(/[\p{Cc}\p{Cf}\p{Mn}]/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/^[._-]+|[._-]+$/g, '')
    .slice(0, 63)
    .replace(/[._-]+$/, '');
  return slug && slug !== value && new RegExp(pattern).test(slug) ? `did you mean "${slug}"?` : undefined;
}

/** A number or boolean written as text (`"8"`, `"yes"`): the quotes, or YAML 1.2, are the problem. */
function typeFix(type: unknown, value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const types = Array.isArray(type) ? type : [type];
  if (types.includes('boolean')) {
    return /^(yes|no|on|off|y|n)$/i.test(value)
      ? 'write true or false, without quotes: yes, no, on and off are text in YAML 1.2'
      : 'write true or false, without quotes';
  }
  if ((types.includes('integer') || types.includes('number')) && /^\s*-?\d+(\.\d+)?\s*$/.test(value)) return 'write the number without quotes';
  return undefined;
}

function plural(n: number, noun: string, nouns = `${noun}s`): string {
  return `${n} ${n === 1 ? noun : nouns}`;
}
