import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { validateAction, validateWorkflow } from '@action-validator/core';
import { parse } from 'yaml';
import { repoRoot } from '../helpers/project.ts';

const WORKFLOWS = join(repoRoot, '.github', 'workflows');
const TEMPLATES = join(repoRoot, 'templates', 'workflows');
const files = readdirSync(WORKFLOWS).filter((f) => f.endsWith('.yml'));
const load = (file: string): any => parse(readFileSync(join(WORKFLOWS, file), 'utf8'));

/** Every permission each job may hold: anything more, or a job without its own block, fails. */
const LEAST_PRIVILEGE: Record<string, Record<string, Record<string, string>>> = {
  'ci.yml': { test: { contents: 'read' } },
  'plan.yml': {
    plan: { contents: 'read', 'pull-requests': 'write' },
    'validate-fork': { contents: 'read' },
    'fork-notice': { contents: 'read', 'pull-requests': 'write' },
  },
  // actions: read downloads the reviewed plan's artifact; pull-requests: write comments the outcome.
  'apply.yml': { apply: { contents: 'read', actions: 'read', 'pull-requests': 'write' }, 'apply-destructive': { contents: 'read', actions: 'read', 'pull-requests': 'write' } },
  'drift.yml': { drift: { contents: 'read', issues: 'write' } },
  // contents: write moves the action's major tag; id-token: write signs the npm provenance.
  'release.yml': { publish: { contents: 'write', 'id-token': 'write' } },
};

test('the five workflows are there', () => {
  assert.equal(files.sort(), ['apply.yml', 'ci.yml', 'drift.yml', 'plan.yml', 'release.yml']);
});

for (const file of files) {
  test(`${file} is a valid workflow (@action-validator/core)`, () => {
    const result = validateWorkflow(readFileSync(join(WORKFLOWS, file), 'utf8'));
    assert.equal(result.errors, [], JSON.stringify(result.errors, null, 2));
  });

  test(`${file} grants no job more than it needs`, () => {
    const workflow = load(file);
    assert.equal(workflow.permissions, {}, 'the workflow grants nothing by default');
    const allowed = LEAST_PRIVILEGE[file]!;
    assert.equal(Object.keys(workflow.jobs).sort(), Object.keys(allowed).sort());
    for (const [name, job] of Object.entries<any>(workflow.jobs)) {
      assert.type(job.permissions, 'object', `${name} declares its permissions`);
      assert.equal(job.permissions, allowed[name], `${name}: ${JSON.stringify(job.permissions)}`);
    }
  });

  test(`${file}: checkouts keep no credentials and scripts interpolate no expressions`, () => {
    const workflow = load(file);
    for (const [name, job] of Object.entries<any>(workflow.jobs)) {
      for (const step of job.steps) {
        if (String(step.uses ?? '').startsWith('actions/checkout')) {
          assert.is(step.with?.['persist-credentials'], false, `${name}: persist-credentials: false`);
          assert.is(step.with?.ref, undefined, `${name}: checks out the event's own ref`);
        }
        if (step.run) assert.not.match(step.run, '${{', `${name}: an expression inside run: is a script injection`);
      }
    }
  });
}

test('the validator is real: it rejects a broken workflow and a broken action', () => {
  assert.ok(validateWorkflow('on: pushy\njobs:\n  a:\n    runs-on: ubuntu-latest\n    stepz: []\n').errors.length > 0);
  assert.ok(validateWorkflow('on: push\npermissions:\n  pull-request: write\njobs:\n  a:\n    runs-on: x\n    steps: [{run: echo}]\n').errors.length > 0);
  assert.ok(validateAction('name: x\ndescription: y\nruns:\n  using: composite\n  steps:\n    - run: echo hi\n').errors.length > 0);
});

test('action.yml is a valid composite action with command, args, working-directory and node setup', () => {
  const text = readFileSync(join(repoRoot, 'action.yml'), 'utf8');
  const result = validateAction(text);
  assert.equal(result.errors, [], JSON.stringify(result.errors, null, 2));
  const action = parse(text);
  assert.is(action.runs.using, 'composite');
  for (const input of ['command', 'args', 'working-directory', 'node-version', 'version']) assert.ok(action.inputs[input], input);
  assert.equal(Object.keys(action.outputs).sort(), ['exit-code', 'has-changes', 'plan-path']);
  assert.match(action.runs.steps[0].uses, 'actions/setup-node@');
  for (const step of action.runs.steps) if (step.run) assert.not.match(step.run, '${{', 'inputs reach scripts through env only');
});

test('every third-party action, in every workflow and in action.yml, is pinned by a full commit SHA with its version', () => {
  const pins = new Map<string, string>();
  for (const path of [...files.map((file) => join(WORKFLOWS, file)), ...readdirSync(TEMPLATES).map((file) => join(TEMPLATES, file)), join(repoRoot, 'action.yml')]) {
    for (const line of readFileSync(path, 'utf8').split('\n')) {
      const uses = /^\s*(?:- )?uses:\s*(\S+)(.*)$/.exec(line);
      if (!uses || uses[1] === './') continue;
      const pinned = /^([\w.-]+\/[\w.-]+)@([0-9a-f]{40})$/.exec(uses[1]!);
      assert.ok(pinned, `${path}: ${uses[1]} is not pinned by a commit SHA`);
      const version = /^ # (v\d+\.\d+\.\d+)$/.exec(uses[2]!);
      assert.ok(version, `${path}: ${uses[1]} has no "# vX.Y.Z" comment`);
      const key = `${pinned![1]}@${version![1]}`;
      assert.is(pins.get(key) ?? pinned![2], pinned![2], `${key} is pinned to two SHAs`);
      pins.set(key, pinned![2]!);
    }
  }
  assert.ok(pins.size >= 3, [...pins.keys()].join(' '));
});

test('ci runs npm ci && npm test on Node 20 and 22', () => {
  const job = load('ci.yml').jobs.test;
  assert.equal(job.strategy.matrix.node, [20, 22]);
  assert.equal(job.steps.filter((s: any) => s.run).map((s: any) => s.run), ['npm ci', 'npm test']);
});

test('plan comments on same-repo pull requests; forks are validated and told why the plan was skipped', () => {
  const plan = load('plan.yml');
  assert.ok('pull_request' in plan.on && 'pull_request_target' in plan.on);
  assert.match(plan.jobs.plan.if, 'head.repo.full_name == github.repository');
  assert.match(plan.jobs.plan.steps.find((s: any) => s.with?.command === 'plan').with.args, '--skip-missing-credentials --github-comment --out plan.json');
  assert.match(plan.jobs['validate-fork'].if, "github.event_name == 'pull_request'");
  assert.not.ok(JSON.stringify(plan.jobs['validate-fork']).includes('secrets.'), 'no secrets for fork code');
  const notice = plan.jobs['fork-notice'];
  assert.match(notice.if, "github.event_name == 'pull_request_target'");
  assert.not.ok(JSON.stringify(notice).includes('secrets.'), 'the notice job needs no target secret');
  assert.match(notice.steps.at(-1).with.args, /^comment --skipped "This pull request comes from a fork/);
});

test('apply applies the reviewed plan, serialised and never cancelled; high-risk changes wait for a reviewed environment', () => {
  const apply = load('apply.yml');
  assert.equal(apply.on.push.branches, ['main']);
  assert.equal(apply.concurrency, { group: 'apiproducts-apply', 'cancel-in-progress': false });
  const step = apply.jobs.apply.steps.at(-1);
  assert.equal([step.with.command, step.with.args], ['github', 'apply --lock-timeout 10m']);
  assert.is(apply.jobs.apply.outputs['exit-code'], `\${{ steps.${step.id}.outputs.exit-code }}`);
  const destructive = apply.jobs['apply-destructive'];
  assert.is(destructive.needs, 'apply');
  assert.is(destructive.if, "needs.apply.outputs.exit-code == '2'");
  assert.is(destructive.steps.at(-1).with.args, `apply --destructive-environment ${destructive.environment} --lock-timeout 10m`);
  const drift = load('drift.yml');
  assert.ok(Array.isArray(drift.on.schedule) && 'workflow_dispatch' in drift.on);
  assert.is(drift.jobs.drift.steps.at(-1).with.args, '--github-issue');
});

test.run();
