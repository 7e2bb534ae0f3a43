import { tempDir } from './temp.ts';
import { spawn } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
/** The built binary, exactly what `npx apiproducts` runs (npm test builds it first). */
export const cliPath = join(repoRoot, 'dist', 'src', 'cli.js');

/**
 * A copy of the shipped example project (apiproducts.yaml + products/ with specs) kept for the
 * tests, so that a user's edit of the working tree's products/ cannot break `npm test`.
 */
export const exampleProject = join(repoRoot, 'test', 'fixtures', 'example-project');

/** A fresh copy of the example project fixture in a temp dir. */
export function copyExampleProject(): string {
  const dir = tempDir('apiproducts-cli-');
  cpSync(join(exampleProject, 'apiproducts.yaml'), join(dir, 'apiproducts.yaml'));
  cpSync(join(exampleProject, 'products'), join(dir, 'products'), { recursive: true });
  return dir;
}

/** An example product file without its Apigee binding (the last block of every example), for API7-only tests. */
export function onlyApi7Binding(productYaml: string): string {
  const at = productYaml.indexOf('\n  sandbox-apigee:');
  return at === -1 ? productYaml : productYaml.slice(0, at + 1);
}

/** Writes `{relative path: content}` into a new temp dir. */
export function writeProject(files: Record<string, string>): string {
  const dir = tempDir('apiproducts-fixture-');
  for (const [path, content] of Object.entries(files)) {
    const file = join(dir, path);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, content);
  }
  return dir;
}

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the CLI without a terminal (as CI does) and collects everything it printed. */
/** `as`: the user and group the CLI runs as (a test running as root drops to one that permissions apply to). */
export function runCli(args: string[], options: { cwd: string; env?: Record<string, string>; input?: string; as?: { uid: number; gid: number } }): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cliPath, ...args], {
      cwd: options.cwd,
      env: { PATH: process.env.PATH ?? '', NO_COLOR: '1', ...options.env },
      stdio: ['pipe', 'pipe', 'pipe'],
      ...options.as,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
    child.stdin.end(options.input ?? '');
  });
}

export function readSandboxState(projectDir: string, target = 'sandbox-api7'): string {
  return readFileSync(join(projectDir, '.apiproducts', 'sandbox', `${target}.json`), 'utf8');
}
