import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { UserError } from '../model/diagnostic.ts';
import type { Io } from './io.ts';
import { packageRoot, schemaReference } from './tool-info.ts';

const CONFIG = `# Where products are published. A \`sandbox: true\` target runs an embedded emulator of the
# vendor's management API on 127.0.0.1: plan and apply work with no credentials and no network.
targets:
  sandbox-api7:
    provider: api7
    sandbox: true
    portal: default
  # A real API7 Enterprise control plane (the token comes from $API7_TOKEN):
  # api7-prod:
  #   provider: api7
  #   url: https://api7.example.com:7443
  #   portal: default
  #   tokenEnv: API7_TOKEN
  # A real Apigee X organization (a Google OAuth token in $APIGEE_TOKEN):
  # apigee-prod:
  #   provider: apigee
  #   flavour: x
  #   url: https://apigee.googleapis.com
  #   org: acme
  #   tokenEnv: APIGEE_TOKEN
prune: false
`;

const PRODUCT = `name: example
displayName: Example API
description: A first product; edit it, then run apiproducts plan.
status: draft
visibility: public
team: platform
targets:
  sandbox-api7:
    type: gateway
    services: [{gatewayGroup: staging, service: payments}]
`;

/**
 * `apiproducts init`: a working project in the current directory, apiproducts.yaml and one
 * product, so that `apiproducts plan` runs at once against the embedded sandbox. Never overwrites.
 */
export function runInit(options: { cwd: string }, io: Io): number {
  const files = [
    { path: join(options.cwd, 'apiproducts.yaml'), text: (dir: string) => `# yaml-language-server: $schema=${schemaReference('targets', dir, options.cwd)}\n${CONFIG}` },
    { path: join(options.cwd, 'products', 'example.yaml'), text: (dir: string) => `# yaml-language-server: $schema=${schemaReference('product', dir, options.cwd)}\n${PRODUCT}` },
  ];
  const taken = files.filter((file) => existsSync(file.path));
  if (taken.length) {
    throw new UserError(`init writes nothing into an existing project: ${taken.map((file) => relative(options.cwd, file.path)).join(' and ')} already exist${taken.length === 1 ? 's' : ''}`);
  }
  for (const file of files) {
    mkdirSync(dirname(file.path), { recursive: true });
    writeFileSync(file.path, file.text(dirname(file.path)), { flag: 'wx' });
    io.out(`Wrote ${relative(options.cwd, file.path)}\n`);
  }
  writeWorkflows(options.cwd, io);
  io.out('\nNext: apiproducts validate, then apiproducts plan (against the embedded sandbox; no credentials needed).\n');
  return 0;
}

/** The GitHub workflows shipped in templates/workflows/, each written unless a file of that name exists. */
function writeWorkflows(cwd: string, io: Io): void {
  const templates = join(packageRoot, 'templates', 'workflows');
  const dir = join(cwd, '.github', 'workflows');
  for (const name of readdirSync(templates).filter((file) => file.endsWith('.yml')).sort()) {
    const path = join(dir, name);
    if (existsSync(path)) {
      io.out(`Kept ${relative(cwd, path)} (already there)\n`);
      continue;
    }
    mkdirSync(dir, { recursive: true });
    writeFileSync(path, readFileSync(join(templates, name)), { flag: 'wx' });
    io.out(`Wrote ${relative(cwd, path)}\n`);
  }
}
