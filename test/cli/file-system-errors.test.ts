/**
 * What the file system refuses is bad input like any other: one line naming the path and why, a
 * non-zero exit code, no stack trace, and nothing else changed. Through the built binary; where a
 * permission matters and the suite runs as root (which reads everything), the CLI runs as an
 * unprivileged user so that the permission applies.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { copyExampleProject, runCli } from '../helpers/project.ts';

const STACK_FRAME = /\n\s+at .+:\d+:\d+/;
const NOBODY = { uid: 65534, gid: 65534 };

/**
 * The example project, and how to run the CLI so that its permissions apply: as itself, or as
 * root, as an unprivileged user (given the project to write in). Undefined when the suite runs as
 * root from a checkout that user cannot read (a home directory): then permissions cannot be shown.
 */
async function unprivilegedProject(): Promise<{ cwd: string; as?: typeof NOBODY } | undefined> {
  const cwd = copyExampleProject();
  if (process.getuid?.() !== 0) return { cwd };
  chmodSync(cwd, 0o777);
  chmodSync(dirname(cwd), 0o755);
  const runs = await runCli(['--version'], { cwd, as: NOBODY });
  if (runs.code !== 0) {
    console.log(`  (skipped: running as root, and uid ${NOBODY.uid} cannot run the CLI from this checkout)`);
    return undefined;
  }
  return { cwd, as: NOBODY };
}

function assertClean(result: { code: number; stdout: string; stderr: string }): void {
  assert.is(result.code, 1, result.stdout + result.stderr);
  assert.not.match(result.stderr, STACK_FRAME);
  assert.not.match(result.stderr, 'Internal error');
}

test('an unreadable products directory, or a directory in it: a file/unreadable error naming it, no stack trace', async () => {
  for (const dir of ['products', 'products/specs']) {
    const project = await unprivilegedProject();
    if (!project) return;
    const { cwd, as } = project;
    mkdirSync(join(cwd, dir), { recursive: true });
    chmodSync(join(cwd, dir), 0o000);
    try {
      const result = await runCli(['validate'], { cwd, ...(as ? { as } : {}) });
      assertClean(result);
      assert.match(result.stdout + result.stderr, `${dir}:1:1 error [file/unreadable] the directory cannot be read (EACCES: permission denied); nothing in it was read`);
    } finally {
      chmodSync(join(cwd, dir), 0o755);
    }
  }
});

test('plan --out: never over the targets file, into products/, over a directory or a file that is not a plan; checked before anything is read', async () => {
  const cwd = copyExampleProject();
  writeFileSync(join(cwd, 'NOTES.md'), '# notes\n');
  const config = readFileSync(join(cwd, 'apiproducts.yaml'), 'utf8');
  const cases: [string, string][] = [
    ['apiproducts.yaml', '--out apiproducts.yaml: that is the targets file; nothing was planned'],
    ['products/payments.yaml', '--out products/payments.yaml: that is inside the products directory, where it would be read as a product; nothing was planned'],
    ['products', '--out products: that is inside the products directory'],
    ['NOTES.md', '--out NOTES.md: the file exists and is not a plan file, so it is not overwritten; nothing was planned'],
    ['missing/plan.json', '--out missing/plan.json: the directory missing does not exist; nothing was planned'],
  ];
  for (const [out, message] of cases) {
    const result = await runCli(['plan', '--out', out], { cwd });
    assertClean(result);
    assert.match(result.stderr, message);
    assert.not.ok(existsSync(join(cwd, '.apiproducts')), 'the sandbox was not started: nothing was read');
  }
  assert.is(readFileSync(join(cwd, 'apiproducts.yaml'), 'utf8'), config);
  assert.is(readFileSync(join(cwd, 'NOTES.md'), 'utf8'), '# notes\n');
  // A plan file is overwritten, as a plan file is meant to be.
  assert.is((await runCli(['plan', '--out', 'plan.json'], { cwd })).code, 0);
  const again = await runCli(['plan', '--out', 'plan.json'], { cwd });
  assert.is(again.code, 0, again.stderr);
});

test('plan --out into a directory that cannot be written: one line, the plan not saved, no stack trace', async () => {
  const project = await unprivilegedProject();
  if (!project) return;
  const { cwd, as } = project;
  mkdirSync(join(cwd, 'locked'));
  chmodSync(join(cwd, 'locked'), 0o555);
  const result = await runCli(['plan', '--out', 'locked/plan.json'], { cwd, ...(as ? { as } : {}) });
  assertClean(result);
  assert.match(result.stderr, 'cannot write the plan to locked/plan.json (EACCES: permission denied); it was not saved');
  assert.not.ok(existsSync(join(cwd, 'locked', 'plan.json')));
});

test('import --out naming a file, or into a directory that cannot be written: a clear error, no stack trace', async () => {
  const fresh = copyExampleProject();
  writeFileSync(join(fresh, 'afile'), 'x');
  const file = await runCli(['import', '--target', 'sandbox-api7', '--out', 'afile'], { cwd: fresh });
  assertClean(file);
  assert.match(file.stderr, '--out afile is a file, not a directory; nothing was imported');
  const project = await unprivilegedProject();
  if (!project) return;
  const { cwd, as } = project;
  mkdirSync(join(cwd, 'locked'));
  chmodSync(join(cwd, 'locked'), 0o555);
  const locked = await runCli(['import', '--target', 'sandbox-api7', '--out', 'locked'], { cwd, ...(as ? { as } : {}) });
  assertClean(locked);
  assert.match(locked.stderr, /failed {2}legacy-billing: cannot write locked\/legacy-billing\.yaml \(EACCES: permission denied\)/);
});

test('--chdir to a directory that is not there, --products naming a file: said as such', async () => {
  const cwd = copyExampleProject();
  const chdir = await runCli(['validate', '--chdir', 'nowhere'], { cwd });
  assertClean(chdir);
  assert.match(chdir.stderr, '--chdir nowhere: no such directory');
  const products = await runCli(['validate', '--products', 'apiproducts.yaml'], { cwd });
  assertClean(products);
  assert.match(products.stdout + products.stderr, 'error [products/missing] the products directory apiproducts.yaml is a file, not a directory');
  // init makes the directory it is pointed at.
  const init = await runCli(['init', '--chdir', 'fresh'], { cwd });
  assert.is(init.code, 0, init.stderr);
});

test.run();
