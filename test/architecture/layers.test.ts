/**
 * The layer rule of docs/architecture.md, checked on every import under src/: a stage imports only
 * the stages below it, the core (model, diff, plan, render) does no I/O, and a vendor's folder
 * never imports another vendor's. Hand-written instead of dependency-cruiser: the imports here
 * are all static relative `.ts` specifiers (verbatimModuleSyntax), so a regex sees every edge,
 * and the rule reads as the table below.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { repoRoot } from '../helpers/project.ts';

const SRC = join(repoRoot, 'src');

/** Layer of a file (path relative to src/, forward slashes). */
function layerOf(file: string): string {
  const parts = file.split('/');
  if (parts.length === 1) return 'root';
  if (parts[0] === 'providers') {
    if (parts.length === 2) return 'providers';
    return parts[1] === 'transport' ? 'transport' : 'vendor';
  }
  if (parts[0] === 'sandbox') return parts.length === 2 ? 'sandbox' : 'sandbox-vendor';
  return parts[0]!;
}

/** What each layer may import, besides its own folder. */
const ALLOWED: Record<string, readonly string[]> = {
  model: [],
  diff: ['model'],
  plan: ['model', 'diff'],
  render: ['model', 'diff', 'plan'],
  load: ['model'],
  validate: ['model', 'load', 'providers'],
  transport: ['model'],
  providers: ['model', 'transport'],
  vendor: ['model', 'providers', 'transport'],
  observe: ['model', 'providers'],
  apply: ['model', 'providers', 'transport'],
  sandbox: ['model'],
  'sandbox-vendor': ['model', 'sandbox'],
  github: ['model', 'plan', 'render'],
  commands: ['model', 'diff', 'plan', 'render', 'load', 'validate', 'providers', 'transport', 'observe', 'apply', 'sandbox', 'github', 'root'],
  root: ['*'],
};

/** Node built-ins the pure core may use: hashing is computation, not I/O. */
const CORE = new Set(['model', 'diff', 'plan', 'render']);
const CORE_BUILTINS = new Set(['node:crypto']);

function sourceFiles(dir: string, prefix = ''): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const relative = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) return sourceFiles(join(dir, entry.name), relative);
    return entry.name.endsWith('.ts') ? [relative] : [];
  });
}

/** Every module specifier a file names: static imports, re-exports and dynamic imports. */
function specifiers(text: string): string[] {
  const found: string[] = [];
  for (const match of text.matchAll(/(?:^|\n)\s*(?:import|export)\b[^'"]*?\bfrom\s*'([^']+)'|(?:^|\n)\s*import\s*'([^']+)'|\bimport\(\s*'([^']+)'\s*\)/g)) {
    found.push((match[1] ?? match[2] ?? match[3])!);
  }
  return found;
}

interface Edge {
  from: string;
  to: string;
}

function edges(): { local: Edge[]; builtins: Edge[] } {
  const local: Edge[] = [];
  const builtins: Edge[] = [];
  for (const file of sourceFiles(SRC)) {
    for (const specifier of specifiers(readFileSync(join(SRC, file), 'utf8'))) {
      if (specifier.startsWith('.')) local.push({ from: file, to: posix.normalize(posix.join(posix.dirname(file), specifier)) });
      else if (specifier.startsWith('node:')) builtins.push({ from: file, to: specifier });
    }
  }
  return { local, builtins };
}

/** Same vendor folder (providers/api7/x.ts → providers/api7/y.ts), or same top-level folder. */
function sameFolder(from: string, to: string): boolean {
  const depth = layerOf(from) === 'vendor' || layerOf(from) === 'sandbox-vendor' ? 2 : 1;
  return from.split('/').slice(0, depth).join('/') === to.split('/').slice(0, depth).join('/') && from.includes('/');
}

function violations(): string[] {
  const { local, builtins } = edges();
  const found: string[] = [];
  for (const { from, to } of local) {
    if (sameFolder(from, to)) continue;
    const [a, b] = [layerOf(from), layerOf(to)];
    const allowed = ALLOWED[a] ?? [];
    if (allowed.includes('*') || allowed.includes(b)) continue;
    found.push(`src/${from} (${a}) imports src/${to} (${b})`);
  }
  for (const { from, to } of builtins) {
    if (CORE.has(layerOf(from)) && !CORE_BUILTINS.has(to)) found.push(`src/${from} (${layerOf(from)}, pure) imports ${to}`);
  }
  return found.sort();
}

// No exceptions: the last ones (the API7 emulator sharing the provider's types) are paid.
test('every import under src/ follows the layer order, and the core does no I/O', () => {
  assert.equal(violations(), []);
});

test('the rule sees the kinds of edges it must refuse', () => {
  const text = "import type { A } from '../x.ts';\nexport { b } from './y.ts';\nconst m = await import('../z.ts');\nimport './side.ts';";
  assert.equal(specifiers(text).sort(), ['../x.ts', '../z.ts', './side.ts', './y.ts']);
  assert.is(layerOf('providers/api7/client.ts'), 'vendor');
  assert.is(layerOf('providers/transport/http.ts'), 'transport');
  assert.is(layerOf('sandbox/apigee/state.ts'), 'sandbox-vendor');
  assert.not.ok(sameFolder('providers/api7/a.ts', 'providers/apigee/b.ts'));
  assert.ok(sameFolder('providers/api7/a.ts', 'providers/api7/b.ts'));
});

test.run();
