/** A small project on the two sandbox targets, with policies: the input of the policy tests. */
import type { Diagnostic } from '../../../src/model/diagnostic.ts';
import { getProviderKind } from '../../../src/registry.ts';
import { loadAndValidate } from '../../load/load-and-validate.ts';
import { tempProject } from '../../load/temp-project.ts';

export const TARGETS = `targets:
  sandbox-api7: {provider: api7, sandbox: true, portal: default}
  sandbox-apigee: {provider: apigee, sandbox: true, flavour: edge, org: sandbox}
`;

/** A product on both targets; `extra` lines go before `targets:`, `api7`/`apigee` lines into each binding. */
export function productYaml(name: string, options: { extra?: string; api7?: string; apigee?: string } = {}): string {
  return [
    `name: ${name}`,
    ...(options.extra ? [options.extra.trimEnd()] : []),
    'targets:',
    '  sandbox-api7:',
    '    type: gateway',
    `    services: [{gatewayGroup: default, service: ${name}}]`,
    ...(options.api7 ? [options.api7.trimEnd()] : []),
    '  sandbox-apigee:',
    `    proxies: [${name}-v1]`,
    ...(options.apigee ? [options.apigee.trimEnd()] : []),
    '',
  ].join('\n');
}

/** Loads and validates `files` (apiproducts.yaml is TARGETS plus `policies`), as the commands do. */
export function validatePolicies(policies: string, products: Record<string, string>, files: Record<string, string> = {}) {
  const cwd = tempProject({
    'apiproducts.yaml': `${TARGETS}${policies}`,
    ...Object.fromEntries(Object.entries(products).map(([name, text]) => [`products/${name}.yaml`, text])),
    ...files,
  });
  return loadAndValidate({ cwd, kinds: getProviderKind }).diagnostics;
}

/** `products/x.yaml:4:1 error [policy/…] message`: what a test compares; the fix is checked apart. */
export function shown(diagnostics: readonly Diagnostic[]): string[] {
  return diagnostics.map((d) => `${d.source ? `${d.source.file}:${d.source.line}:${d.source.column} ` : ''}${d.severity} [${d.rule}] ${d.message}`);
}
