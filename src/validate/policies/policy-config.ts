import type { Diagnostic, Severity, SourcePosition } from '../../model/diagnostic.ts';
import type { DocumentLocator, PathSegment } from '../../model/positions.ts';
import { collectSecrets } from '../../model/secrets.ts';
import type { ParsedDocument } from '../../load/parse-yaml.ts';
import type { LoadedPolicyFile } from '../../load/read-policies.ts';
import { checkCharacters } from '../characters.ts';
import { checkSecretLiterals } from '../rules.ts';
import { validateSchema } from '../schema.ts';
import { POLICY_RULE_IDS, type PolicyRuleId } from './rule.ts';

/** One exemption as written: the product, the reason, and where it is. */
export interface PolicyExemption {
  product: string;
  reason: string;
  /** The `product:` value, where an unknown or unused exemption is reported. */
  source: SourcePosition;
}

/** One rule switched on, with where its settings are written (apiproducts.yaml or a policies/ file). */
export interface PolicySetting {
  id: PolicyRuleId;
  severity: Severity;
  /** The rule's options as written (schema-valid): `targets`, `label`, `pattern`. */
  options: { targets?: string[]; label?: string; pattern?: string };
  exempt: PolicyExemption[];
  /** Where the rule's keys are: `locate(at([...]))` finds any of them. */
  locator: DocumentLocator;
  /** The path of the rule's block in its document: `['policies', id]` or `[id]`. */
  path: PathSegment[];
}

export interface ReadPolicySettings {
  settings: PolicySetting[];
  diagnostics: Diagnostic[];
  /** Credential-looking strings in policy files: kept out of every message. */
  secrets: string[];
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * The rules switched on: `policies:` of apiproducts.yaml (already checked by its schema), then
 * each `policies/*.yaml` file, checked here against schemas/policies.schema.json (with the secret
 * and character checks every input file gets). A file that fails its schema contributes no rule.
 * A rule switched on twice is an error at the second place, naming the first.
 */
export function readPolicySettings(config: ParsedDocument | undefined, files: readonly LoadedPolicyFile[]): ReadPolicySettings {
  const result: ReadPolicySettings = { settings: [], diagnostics: [], secrets: [] };
  const first = new Map<PolicyRuleId, SourcePosition>();
  const add = (block: Record<string, unknown>, locator: DocumentLocator, prefix: PathSegment[]): void => {
    for (const id of POLICY_RULE_IDS) {
      const entry = block[id];
      if (!isRecord(entry)) continue;
      const path = [...prefix, id];
      const at = locator.locateKey(path);
      const earlier = first.get(id);
      if (earlier) {
        result.diagnostics.push({
          severity: 'error',
          rule: 'policy/duplicate-rule',
          message: `policy ${id} is already switched on at ${earlier.file}:${earlier.line}:${earlier.column}`,
          fix: 'keep one of the two settings: a rule is configured in one place',
          source: at,
        });
        continue;
      }
      first.set(id, at);
      result.settings.push(toSetting(id, entry, locator, path));
    }
  };
  const block = isRecord(config?.value) ? config.value['policies'] : undefined;
  if (config && isRecord(block)) add(block, config.locator, ['policies']);
  for (const { document } of files) {
    const { locate, locateKey } = document.locator;
    const secrets = checkSecretLiterals(document.value, locate, [], locateKey);
    if (secrets.length) result.secrets.push(...collectSecrets(document.value));
    const schema = validateSchema('policies', document.value, document.locator);
    result.diagnostics.push(...secrets, ...schema.diagnostics, ...checkCharacters(document.value, locate, locateKey));
    if (schema.valid && secrets.length === 0 && isRecord(document.value)) add(document.value, document.locator, []);
  }
  return result;
}

function toSetting(id: PolicyRuleId, entry: Record<string, unknown>, locator: DocumentLocator, path: PathSegment[]): PolicySetting {
  const exempt = (Array.isArray(entry['exempt']) ? entry['exempt'] : []).filter(isRecord).map((item, index) => ({
    product: String(item['product']),
    reason: String(item['reason']),
    source: locator.locate([...path, 'exempt', index, 'product']),
  }));
  const options: PolicySetting['options'] = {};
  if (Array.isArray(entry['targets'])) options.targets = entry['targets'].map(String);
  if (typeof entry['label'] === 'string') options.label = entry['label'];
  if (typeof entry['pattern'] === 'string') options.pattern = entry['pattern'];
  return { id, severity: entry['severity'] === 'warning' ? 'warning' : 'error', options, exempt, locator, path };
}
