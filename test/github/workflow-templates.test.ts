/** The workflows `apiproducts init` writes into a user's repository: valid, least privilege, no injection. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { validateWorkflow } from '@action-validator/core';
import { parse } from 'yaml';
import { repoRoot } from '../helpers/project.ts';

const TEMPLATES = join(repoRoot, 'templates', 'workflows');
const files = readdirSync(TEMPLATES).filter((file) => file.endsWith('.yml'));
const PERMISSIONS: Record<string, Record<string, Record<string, string>>> = {
  'apiproducts-plan.yml': { plan: { contents: 'read', 'pull-requests': 'write' } },
  'apiproducts-apply.yml': {
    apply: { contents: 'read', actions: 'read', 'pull-requests': 'write' },
    'apply-destructive': { contents: 'read', actions: 'read', 'pull-requests': 'write' },
  },
  'apiproducts-drift.yml': { drift: { contents: 'read', issues: 'write' } },
};

test('init ships a plan, an apply and a drift workflow', () => {
  assert.equal(files.sort(), Object.keys(PERMISSIONS).sort());
});

for (const file of files) {
  test(`${file}: valid (@action-validator/core), least privilege, no credentials kept, no expression in a script`, () => {
    const text = readFileSync(join(TEMPLATES, file), 'utf8');
    assert.equal(validateWorkflow(text).errors, []);
    const workflow = parse(text) as { permissions: unknown; jobs: Record<string, { permissions: unknown; env?: unknown; steps: { uses?: string; run?: string; with?: Record<string, unknown>; env?: Record<string, string> }[] }> };
    assert.equal(workflow.permissions, {});
    for (const [name, job] of Object.entries(workflow.jobs)) {
      assert.equal(job.permissions, PERMISSIONS[file]![name]);
      // Credentials only where apiproducts runs: `npm ci` runs the dependencies' install scripts.
      assert.is(job.env, undefined, `${name}: no job-level env`);
      for (const step of job.steps) {
        const secrets = Object.values(step.env ?? {}).some((value) => /secrets\.|github\.token/.test(value));
        assert.is(secrets, /npx apiproducts /.test(step.run ?? ''), `${name}: ${step.run ?? step.uses}`);
      }
      for (const step of job.steps) {
        if (step.uses?.startsWith('actions/checkout')) assert.is(step.with?.['persist-credentials'], false);
        if (step.run) assert.not.match(step.run, '${{');
      }
      // The installed version (package-lock.json), never `uses: ./`, which exists only in apiproducts' own repository.
      assert.ok(job.steps.some((step) => step.run === 'npm ci'));
      assert.not.ok(job.steps.some((step) => step.uses === './'));
    }
  });
}

test('the drift template is scheduled: `drift --github-issue` leaves embedded sandboxes out, so a new repository files no issue', () => {
  const text = readFileSync(join(TEMPLATES, 'apiproducts-drift.yml'), 'utf8');
  const workflow = parse(text) as { on: Record<string, unknown> };
  assert.equal(Object.keys(workflow.on), ['schedule', 'workflow_dispatch']);
  assert.match(text, 'npx apiproducts drift --github-issue');
});

test('the apply template applies the reviewed plan; exit 2 (waiting for approval) hands over to the environment job', () => {
  const workflow = parse(readFileSync(join(TEMPLATES, 'apiproducts-apply.yml'), 'utf8')) as any;
  assert.match(workflow.jobs.apply.steps.at(-1).run, 'npx apiproducts github apply --lock-timeout 10m');
  assert.match(workflow.jobs.apply.steps.at(-1).run, '[ "$code" -eq 0 ] || [ "$code" -eq 2 ]');
  const destructive = workflow.jobs['apply-destructive'];
  assert.is(destructive.if, "needs.apply.outputs.exit-code == '2'");
  assert.is(destructive.steps.at(-1).run, `npx apiproducts github apply --destructive-environment ${destructive.environment} --lock-timeout 10m`);
});

test.run();
