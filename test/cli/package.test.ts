/**
 * The package as npm would ship it: only what runs, and installed into an empty repository it
 * works (`--version`, `init`, `validate`, a sandbox `plan`). The install is simulated without the
 * network: the tarball is unpacked into the project's node_modules and the dependencies are
 * linked from this checkout's (the suite is hermetic; CI has the registry only for `npm ci`).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { repoRoot } from '../helpers/project.ts';
import { tempDir } from '../helpers/temp.ts';

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const manifest = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { name: string; version: string };

/** One `npm pack` for both tests: the file list it reports and the tarball it wrote. */
const packed = (() => {
  const work = tempDir('apiproducts-package-');
  const json = execFileSync(npm, ['pack', '--json', '--ignore-scripts', '--pack-destination', work], { cwd: repoRoot, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  const [report] = JSON.parse(json) as { files: { path: string }[]; filename: string }[];
  return { work, files: report!.files.map((file) => file.path), tarball: join(work, report!.filename) };
})();

test('the tarball holds what runs and nothing else: no tests, benchmarks, scripts or TypeScript sources', () => {
  const { files } = packed;
  for (const needed of ['docs/safety.md', 'templates/workflows/apiproducts-plan.yml', 'dist/src/cli.js', 'dist/src/cli-main.js', 'schemas/product.schema.json', 'schemas/targets.schema.json', 'LICENSE', 'README.md', 'package.json', 'action.yml']) {
    assert.ok(files.includes(needed), `${needed} is shipped`);
  }
  const stray = files.filter((file) => !/^(dist\/src\/.+\.js|schemas\/[^/]+\.json|docs\/[^/]+\.md|templates\/workflows\/[^/]+\.yml|LICENSE|README\.md|package\.json|action\.yml)$/.test(file));
  assert.equal(stray, []);
  assert.ok(files.length < 400, `${files.length} files`);
});

test('installed into an empty repository: --version, init, validate and a sandbox plan work', async () => {
  const project = join(packed.work, 'repo');
  const installed = join(project, 'node_modules', manifest.name);
  mkdirSync(installed, { recursive: true });
  execFileSync('tar', ['-xzf', packed.tarball, '-C', installed, '--strip-components=1']);
  for (const dependency of readdirSync(join(repoRoot, 'node_modules'))) {
    if (dependency !== manifest.name && !dependency.startsWith('.')) symlinkSync(join(repoRoot, 'node_modules', dependency), join(project, 'node_modules', dependency));
  }
  const cli = join(installed, 'dist', 'src', 'cli.js');
  const run = (...args: string[]) =>
    new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      try {
        const stdout = execFileSync(process.execPath, [cli, ...args], { cwd: project, encoding: 'utf8', env: { PATH: process.env.PATH ?? '', NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
        resolve({ code: 0, stdout, stderr: '' });
      } catch (error) {
        const failed = error as { status: number; stdout: string; stderr: string };
        resolve({ code: failed.status, stdout: failed.stdout, stderr: failed.stderr });
      }
    });
  assert.equal(await run('--version'), { code: 0, stdout: `${manifest.name} ${manifest.version}\n`, stderr: '' });
  const init = await run('init');
  assert.is(init.code, 0, init.stderr);
  // The modelines point into the installed package, so editors validate offline and against this version.
  assert.match(readFileSync(join(project, 'products', 'example.yaml'), 'utf8'), `# yaml-language-server: $schema=../node_modules/${manifest.name}/schemas/product.schema.json\n`);
  assert.match(readFileSync(join(project, 'apiproducts.yaml'), 'utf8'), `# yaml-language-server: $schema=node_modules/${manifest.name}/schemas/targets.schema.json\n`);
  assert.equal(readdirSync(join(project, '.github', 'workflows')).sort(), ['apiproducts-apply.yml', 'apiproducts-drift.yml', 'apiproducts-plan.yml']);
  assert.equal(await run('validate'), { code: 0, stdout: 'Valid: 1 product, 1 target.\n', stderr: '' });
  const plan = await run('plan', '--detailed-exitcode');
  assert.is(plan.code, 2, plan.stderr);
  assert.match(plan.stdout, 'Plan: 1 to create');
  assert.is((await run('init')).code, 1, 'init never overwrites');
  // import --out DIR: the modeline is relative to DIR, wherever it is.
  const imported = await run('import', '--target', 'sandbox-api7', '--out', 'imported/team');
  assert.is(imported.code, 0, imported.stderr);
  const files = readdirSync(join(project, 'imported', 'team')).filter((file) => file.endsWith('.yaml'));
  assert.ok(files.length > 0, imported.stdout);
  for (const file of files) {
    assert.match(readFileSync(join(project, 'imported', 'team', file), 'utf8'), `# yaml-language-server: $schema=../../node_modules/${manifest.name}/schemas/product.schema.json\n`);
  }
});

test.run();
