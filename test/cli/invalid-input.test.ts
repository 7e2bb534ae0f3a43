import { tempDir } from '../helpers/temp.ts';
import { execFileSync } from 'node:child_process';
import { cpSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { seedApi7State } from '../../src/sandbox/api7/state.ts';
import { seedApigeeState } from '../../src/sandbox/apigee/state.ts';
import { saveStateFile } from '../../src/sandbox/state-file.ts';
import { expectedDiagnostics, secretFragments } from '../fixtures/invalid-expected.ts';
import { runCliInProcess } from '../helpers/cli-in-process.ts';
import { repoRoot, runCli, type CliResult } from '../helpers/project.ts';

/**
 * Every bad-input fixture through the CLI: exit 1, the exact lines on stderr, no stack trace, no
 * raw control character, no credential, and the sandbox untouched. `validate` runs for every
 * fixture; `plan` and `apply` (which load the project the same way) for one fixture of each kind.
 * The runs call the CLI in this process (~150 spawns cost ~30 s); a sample of them also runs the
 * built binary, which must print exactly the same, so the process contract is still covered. A
 * run that hangs on a hostile input is caught by the runner's hang guard (test/run.ts), not by a
 * clock here: a bound in ms fails on a loaded machine.
 */
const STACK_FRAME = /\n\s+at .+:\d+:\d+/;
/** Runs also made by spawning `node dist/src/cli.js`: one of each command, and the largest input. */
const SPAWNED = new Set(['yaml-syntax-error validate', 'url-with-credentials plan', 'token-as-key apply --auto-approve', 'generated: a 20 MB product file validate']);

/** Defects the real API7 provider reports (the loader tests use a fake provider for these rules). */
const api7Expected: Record<string, string[]> = {
  'api7-visibility-internal': [
    'products/payments.yaml:3:13 error [api7/visibility] visibility "internal" is not available on API7 (public or logged-in)',
  ],
  'api7-auth-on-external': [
    'products/weather.yaml:4:7 error [api7/external-auth] auth is not available on an external product: the gateway does not proxy it\n  fix: remove auth for this target',
  ],
  'api7-openapi-missing': [
    'products/weather.yaml:7:14 error [api7/openapi-missing] OpenAPI file products/specs/nowhere.yaml does not exist\n  fix: fix the path: it is resolved relative to the product file',
  ],
  'api7-openapi-directory': [
    'products/weather.yaml:7:14 error [api7/openapi-unreadable] OpenAPI file products/specs is a directory\n  fix: point openapi at the OpenAPI document itself, e.g. ./specs/weather.yaml',
  ],
};

/** Defects the Apigee provider reports. */
const apigeeExpected: Record<string, string[]> = {
  'apigee-logged-in-visibility': [
    'products/payments.yaml:3:13 error [apigee/visibility] visibility "logged-in" is not available on Apigee: its portals list a product to everyone (public) or to nobody (private, internal)\n  fix: set visibility to public, private or internal (in targets.sandbox-apigee to keep logged-in for other targets)',
  ],
  'apigee-no-proxies-no-resources': [
    'products/payments.yaml:6:5 error [apigee/unbounded] a product with no proxies, no resources and no operations grants its app keys access to every API in the organization\n  fix: list proxies: [<proxy>], resources: [/path/**] or operations: [{apiSource: <proxy>, resource: /path/**}], or write unbounded: true if that is really intended',
  ],
  // A schema error in one binding (sandbox-api7) hides no provider rule of another (sandbox-apigee).
  'schema-error-hides-no-provider-rule': [
    'products/payments.yaml:7:11 error [schema/enum] targets.sandbox-api7.type must be one of gateway, external',
    'products/payments.yaml:9:5 error [apigee/unbounded] a product with no proxies, no resources and no operations grants its app keys access to every API in the organization\n  fix: list proxies: [<proxy>], resources: [/path/**] or operations: [{apiSource: <proxy>, resource: /path/**}], or write unbounded: true if that is really intended',
  ],
  'apigee-bad-resource-path': [
    'products/payments.yaml:8:17 error [apigee/resource-path] resource path "/charges/**/refunds" is not valid: /** may only end a path',
    'products/payments.yaml:8:38 error [apigee/resource-path] resource path "charges" is not valid: it must start with /',
  ],
  // payments + plan free and payments-free: one Apigee product, a flip-flop on every apply before
  'apigee-plan-name-collision': [
    'products/payments-free.yaml:1:7 error [apigee/name-collision] this is the Apigee product "payments-free", and so is products/payments.yaml:3:11: a plan is the Apigee product <name>-<plan>\n  fix: rename the product or the plan so that every <name>-<plan> on the target is different',
    'products/payments.yaml:3:11 error [apigee/name-collision] this is the Apigee product "payments-free", and so is products/payments-free.yaml:1:7: a plan is the Apigee product <name>-<plan>\n  fix: rename the product or the plan so that every <name>-<plan> on the target is different',
  ],
  'apigee-quota-per-second-only': [
    'products/payments.yaml:6:13 error [apigee/quota-unit] plan "burst-only" has no limit Apigee can count as a quota (per minute, hour, day or month); perSecond alone becomes an attribute for SpikeArrest\n  fix: add perMinute, perHour, perDay or perMonth to the plan',
  ],
};

/** Expectations that hold with the fake provider of the loader tests only. */
const FAKE_PROVIDER_ONLY = new Set(['binding-rejected-by-provider']);

/** Also run through `plan` and `apply --auto-approve`: one fixture of each kind of defect. */
const ALL_COMMANDS = new Set([
  'yaml-syntax-error', 'yaml-billion-laughs', 'yaml-latin1-encoding', 'wrong-type', 'unicode-name-rtl-override',
  'openapi-path-traversal', 'product-symlink-escape', 'url-with-credentials', 'token-as-key', 'duplicate-name',
  'config-empty', 'missing-config', 'api7-openapi-missing', 'apigee-bad-resource-path', 'apigee-plan-name-collision',
]);

/**
 * A file that was not read must never let --prune delete its product: every such file is an
 * error, so these also run `apply --auto-approve --prune`, which must stop before any write.
 */
const PRUNE = new Set(['product-stray-openapi-key', 'products-symlinked-directory', 'products-unreferenced-spec', 'products-unknown-file']);

type Provider = 'api7' | 'apigee';
interface Case {
  name: string;
  cwd: string;
  stateFile: string;
  before: string;
  lines: string[];
  args: string[][];
}

/** A copy of the fixture whose sandbox already holds the seeded portal, so "nothing changed" is observable. */
function seededCopy(fixture: string, provider: Provider): { cwd: string; stateFile: string; before: string } {
  const cwd = tempDir('apiproducts-invalid-');
  cpSync(fixture, cwd, { recursive: true });
  const stateFile = join(cwd, '.apiproducts', 'sandbox', `sandbox-${provider}.json`);
  saveStateFile(stateFile, provider === 'api7' ? seedApi7State() : seedApigeeState('sandbox'));
  return { cwd, stateFile, before: readFileSync(stateFile, 'utf8') };
}

function fixtureCases(): Case[] {
  const dir = (name: string) => join(repoRoot, 'test', 'fixtures', name);
  const cases = (name: string, expected: (defect: string) => string[], provider: Provider): Case[] =>
    readdirSync(dir(name)).map((defect) => ({
      name: defect,
      ...seededCopy(join(dir(name), defect), provider),
      lines: expected(defect),
      args: [
        ...(ALL_COMMANDS.has(defect) ? [['validate'], ['plan'], ['apply', '--auto-approve']] : [['validate']]),
        ...(PRUNE.has(defect) ? [['plan', '--prune'], ['apply', '--auto-approve', '--prune']] : []),
      ],
    }));
  return [
    ...cases('invalid', (defect) => (FAKE_PROVIDER_ONLY.has(defect) ? [] : expectedDiagnostics[defect] ?? []), 'api7'),
    ...cases('invalid-api7', (defect) => api7Expected[defect] ?? [], 'api7'),
    ...cases('invalid-apigee', (defect) => apigeeExpected[defect] ?? [], 'apigee'),
    ...generatedCases(),
  ];
}

/** Inputs too large to commit, built for this run. */
function generatedCases(): Case[] {
  const huge = seededCopy(join(repoRoot, 'test', 'fixtures', 'invalid', 'wrong-type'), 'api7');
  writeFileSync(join(huge.cwd, 'products', 'huge.yaml'), `name: huge\ndescription: ${'x'.repeat(20 * 1024 * 1024)}\n`);
  const directory = seededCopy(join(repoRoot, 'test', 'fixtures', 'invalid', 'wrong-type'), 'api7');
  // A FIFO would block a plain read forever; a 2 MiB "CA bundle" is not one. Neither can be committed.
  const caFile = (file: string, make: (path: string) => void): ReturnType<typeof seededCopy> => {
    const copy = seededCopy(join(repoRoot, 'test', 'fixtures', 'invalid', 'ca-file-device'), 'api7');
    const config = join(copy.cwd, 'apiproducts.yaml');
    writeFileSync(config, readFileSync(config, 'utf8').replace('/dev/zero', file));
    make(join(copy.cwd, file));
    return copy;
  };
  const fifo = caFile('ca.fifo', (path) => execFileSync('mkfifo', [path]));
  const oversized = caFile('bundle.pem', (path) => writeFileSync(path, `-----BEGIN CERTIFICATE-----\n${'A'.repeat(2 * 1024 * 1024)}\n`));
  const caFix = '\n  fix: point caFile at the PEM file of your private CA, relative to apiproducts.yaml';
  return [
    {
      name: 'generated: caFile naming a FIFO',
      ...fifo,
      lines: [`apiproducts.yaml:6:13 error [config/ca-file] targets.api7-prod.caFile: ca.fifo is a named pipe, not a regular file${caFix}`],
      args: [['validate'], ['plan']],
    },
    {
      name: 'generated: caFile of 2 MiB',
      ...oversized,
      lines: ['apiproducts.yaml:6:13 error [config/ca-file] targets.api7-prod.caFile: bundle.pem is larger than 1 MiB; a CA bundle is a few hundred KiB\n  fix: point caFile at the PEM file of your private CA, not at a whole certificate store'],
      args: [['validate'], ['plan']],
    },
    {
      name: 'generated: a 20 MB product file',
      ...huge,
      lines: ['products/huge.yaml:1:1 error [file/too-large] the file is 20.0 MiB; a product file may be at most 512 KiB (it was not read)\n  fix: split it: one product per file (a product file is a few KiB)'],
      args: [['validate'], ['plan'], ['apply', '--auto-approve']],
    },
    {
      name: 'generated: --config naming a directory',
      ...directory,
      lines: ['error [config/not-a-file] "products" is a directory, not a configuration file\n  fix: point --config at the YAML file itself, e.g. --config products/apiproducts.yaml'],
      args: [['validate', '--config', 'products'], ['plan', '--config', 'products']],
    },
  ];
}

interface Run {
  args: string[];
  result: CliResult;
  /** The same run through the built binary, for the runs in SPAWNED. */
  spawned?: CliResult;
}

const cases = fixtureCases();
const runs = new Map<Case, Run[]>();

/** Every run of every case, one at a time (in-process runs share this process). */
test.before(async () => {
  for (const c of cases) {
    for (const args of c.args) {
      const result = await runCliInProcess(args, { cwd: c.cwd });
      const spawned = SPAWNED.has(`${c.name} ${args.join(' ')}`) ? await runCli(args, { cwd: c.cwd }) : undefined;
      runs.set(c, [...(runs.get(c) ?? []), { args, result, ...(spawned ? { spawned } : {}) }]);
    }
  }
});

for (const c of cases) {
  test(`invalid input ${c.name}: exit 1 with the exact message, no stack, nothing changed`, () => {
    assert.ok(c.lines.length > 0 || FAKE_PROVIDER_ONLY.has(c.name), `${c.name} has an expectation`);
    const done = runs.get(c) ?? [];
    assert.is(done.length, c.args.length);
    for (const { args, result, spawned } of done) {
      const command = args.join(' ');
      assert.is(result.code, 1, `${command}: ${result.stdout}${result.stderr}`);
      assert.not.match(result.stderr, STACK_FRAME);
      assert.match(result.stderr, /error \[[a-z0-9-]+\/[a-z0-9-]+\]/);
      for (const line of c.lines) assert.ok(result.stderr.includes(line), `${command} stderr lacks:\n${line}\n---\n${result.stderr}`);
      const output = result.stdout + result.stderr;
      const raw = /[\p{Cf}\p{Zl}\p{Zp}]|(?![\n\r\t])\p{Cc}/u.exec(output);
      assert.is(raw, null, `${command}: raw U+${raw?.[0]?.codePointAt(0)?.toString(16)} in the output`);
      const secret = secretFragments[c.name];
      if (secret) assert.not.ok(output.includes(secret), `${command} shows the credential`);
      if (spawned) assert.equal(spawned, result, `${command}: the built binary and the in-process CLI differ`);
    }
    assert.is(readFileSync(c.stateFile, 'utf8'), c.before);
  });
}

test('the spawned sample is there: every entry of SPAWNED ran through the built binary', () => {
  const ran = cases.flatMap((c) => (runs.get(c) ?? []).filter((r) => r.spawned).map((r) => `${c.name} ${r.args.join(' ')}`));
  assert.equal(ran.sort(), [...SPAWNED].sort());
});

test('the corpus is large enough', () => {
  assert.ok(readdirSync(join(repoRoot, 'test', 'fixtures', 'invalid')).length >= 60);
});

test.run();
