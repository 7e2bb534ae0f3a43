/**
 * Plans of external products whose OpenAPI document changed: the operations in every format
 * (golden files under test/golden/plan-openapi/), the risk of removing operations, the cap in
 * text and Markdown, and the digest fallback when the live document cannot be read.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import yaml from 'js-yaml';
import { describeApi } from '../../src/load/openapi-operations.ts';
import type { DesiredObject, LiveObject } from '../../src/model/objects.ts';
import type { Change, Plan } from '../../src/model/plan.ts';
import type { ProductStatus } from '../../src/model/product.ts';
import { renderPlanJson } from '../../src/render/plan-json.ts';
import { renderPlanMarkdown } from '../../src/render/plan-markdown.ts';
import { renderPlanText } from '../../src/render/plan-text.ts';
import { plainStyle } from '../../src/render/style.ts';
import { LISTED_OPERATIONS } from '../../src/render/api-operations.ts';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { assertGolden } from '../helpers/golden.ts';
import { repoRoot } from '../helpers/project.ts';
import { planFor } from '../fixtures/plan-cases.ts';

const FIXTURES = new URL('../fixtures/openapi/', import.meta.url);
const PETSTORE = readFileSync(new URL('petstore.yaml', FIXTURES), 'utf8');
const GENERATED = readFileSync(new URL('generated-300.json', FIXTURES), 'utf8');
type Doc = Record<string, any>;

const digest = (text: string): string => 'sha256:' + createHash('sha256').update(text).digest('hex');
const state = (text: string) => ({
  type: 'external',
  displayName: 'Petstore',
  description: 'Pets, orders and users.',
  visibility: 'public',
  labels: { team: 'pets' },
  serverUrls: ['https://petstore.example.com/api/v3'],
  openapi: digest(text),
});

/**
 * An external product whose Git document is `desiredText` and live one `liveText`, described as
 * make-plan does. The attachments are placeholders so that the golden JSON stays readable: the
 * plan copies them and renders none.
 */
async function externalPlan(liveText: string, desiredText: string, status: { live: ProductStatus; desired: ProductStatus } = { live: 'published', desired: 'published' }): Promise<Plan> {
  const desired: DesiredObject = {
    key: 'petstore',
    product: 'petstore',
    status: status.desired,
    state: state(desiredText),
    attachments: { openapi: '(the document in Git)' },
    api: await describeApi(desiredText),
    protected: false,
    locate: () => ({ file: 'products/petstore.yaml', line: 1, column: 1 }),
  };
  const live: LiveObject = {
    key: 'petstore',
    owned: true,
    product: 'petstore',
    status: status.live,
    state: state(liveText),
    attachments: { openapi: '(the live document)' },
    api: await describeApi(liveText),
    ref: { id: 'id-petstore' },
  };
  return planFor([desired], [live]);
}

function editedPetstore(): string {
  const doc = yaml.load(PETSTORE) as Doc;
  delete doc.paths['/pet/{petId}'].delete;
  delete doc.paths['/store/inventory'];
  doc.paths['/pet/{petId}/photos'] = { get: { responses: { '200': { description: 'photos' } } } };
  doc.paths['/pet/findByStatus'].get.parameters[0].required = true;
  doc.paths['/pet/{petId}'].get.security = [{ petstore_auth: ['read:pets'] }];
  doc.components.schemas.Category.properties.id.type = 'string';
  return JSON.stringify(doc, null, 1);
}

function editedGenerated(): string {
  const doc = JSON.parse(GENERATED) as Doc;
  doc.components.schemas.Audit.properties.createdBy = { type: 'integer' };
  delete doc.paths['/resource07/{id}'].delete;
  return JSON.stringify(doc);
}

const update = (plan: Plan): Change => plan.changes.find((change) => change.action === 'update')!;

function assertGoldens(name: string, plan: Plan): void {
  assertGolden(`plan-openapi/${name}.txt`, renderPlanText(plan, plainStyle));
  assertGolden(`plan-openapi/${name}.md`, renderPlanMarkdown(plan));
  assertGolden(`plan-openapi/${name}.json`, renderPlanJson(plan));
}

test('petstore edits: removed, added and changed operations in text, Markdown and JSON; removals make it high risk', async () => {
  const plan = await externalPlan(PETSTORE, editedPetstore());
  const change = update(plan);
  assert.is(change.risk, 'high');
  assert.equal(change.reasons, ['removes 2 operations from the published API (DELETE /pet/{petId}, GET /store/inventory): clients that call them start failing']);
  assert.equal(change.fields.map((field) => field.path), ['openapi'], 'the digests stay the field change');
  assertGoldens('petstore', plan);
});

test('the same removals on a draft product are low risk: nobody subscribes to a draft', async () => {
  const plan = await externalPlan(PETSTORE, editedPetstore(), { live: 'draft', desired: 'draft' });
  assert.is(update(plan).risk, 'low');
  assert.equal(update(plan).reasons, []);
  assert.is(update(plan).apiOperations?.status, 'compared');
});

test('only additions and changes on a published product stay low risk', async () => {
  const doc = yaml.load(PETSTORE) as Doc;
  doc.paths['/pet/{petId}/photos'] = { get: { responses: { '200': { description: 'photos' } } } };
  const plan = await externalPlan(PETSTORE, JSON.stringify(doc));
  assert.is(update(plan).risk, 'low');
  assert.equal(update(plan).apiOperations, { status: 'compared', added: [{ method: 'GET', path: '/pet/{petId}/photos' }], removed: [], changed: [] });
});

test('300 operations: text and Markdown list the first 20 and count the rest; JSON lists all 240', async () => {
  const plan = await externalPlan(GENERATED, editedGenerated());
  const operations = update(plan).apiOperations;
  assert.is(operations?.status, 'compared');
  if (operations?.status !== 'compared') return;
  assert.is(operations.changed.length, 240);
  assert.is(operations.removed.length, 1);
  const text = renderPlanText(plan, plainStyle);
  assert.match(text, `… and ${241 - LISTED_OPERATIONS} more operations (the JSON plan lists every one)`);
  assert.match(text, '          - DELETE /resource07/{id}\n', 'removed operations come first');
  assertGoldens('generated-300', plan);
});

test('a live document that cannot be read: the digest change, with a note saying why', async () => {
  const plan = await externalPlan('openapi: 3.0.3\npaths: [unclosed', PETSTORE);
  const change = update(plan);
  assert.is(change.apiOperations?.status, 'not-compared');
  assert.match((change.apiOperations as { reason: string }).reason, /^the live OpenAPI document cannot be read: it is not valid YAML or JSON: .* at line 2, column 8$/);
  assert.is(change.risk, 'low', 'nothing is known to be removed');
  assertGoldens('live-unreadable', plan);
});

test('a remote $ref in Git: operations not compared, the reason names the reference', async () => {
  const doc = yaml.load(PETSTORE) as Doc;
  doc.components.schemas.Tag = { $ref: 'https://schemas.example.com/tag.yaml' };
  const plan = await externalPlan(PETSTORE, JSON.stringify(doc));
  const operations = update(plan).apiOperations;
  assert.is(operations?.status, 'not-compared');
  assert.match(renderPlanText(plan, plainStyle), 'operations not compared: the OpenAPI document in Git cannot be read: it refers outside itself ("https://schemas.example.com/tag.yaml" at components.schemas.Tag)');
});

test('a document that changed only in wording says so instead of listing nothing', async () => {
  const doc = yaml.load(PETSTORE) as Doc;
  doc.info.description = 'Reworded.';
  const plan = await externalPlan(PETSTORE, JSON.stringify(doc));
  assert.match(renderPlanText(plan, plainStyle), 'the document changed, but no operation was added, removed or changed (descriptions, examples or other text only)');
  assert.match(renderPlanMarkdown(plan), '**API operations:** the document changed, but no operation was added');
});

test('operation paths from a document cannot inject Markdown or forge terminal lines', async () => {
  const doc = yaml.load(PETSTORE) as Doc;
  doc.paths['/x|</details><!-- apiproducts:plan -->\n# Heading'] = { get: { responses: { '200': { description: 'x' } } } };
  const plan = await externalPlan(PETSTORE, JSON.stringify(doc));
  const markdown = renderPlanMarkdown(plan);
  assert.not.match(markdown, '<!--');
  assert.is(markdown.split('</details>').length - 1, 1);
  assert.not.match(markdown, /\n# Heading/);
  assert.not.match(renderPlanText(plan, plainStyle), /\n# Heading/);
});

test('the plan schema accepts every OpenAPI golden plan and rejects an unknown aspect or a missing reason', () => {
  const ajv = new Ajv2020({ allErrors: true, strict: true });
  const validate = ajv.compile(JSON.parse(readFileSync(new URL('schemas/plan.schema.json', `file://${repoRoot}/`), 'utf8')));
  for (const name of ['petstore', 'generated-300', 'live-unreadable']) {
    const plan = JSON.parse(readFileSync(new URL(`../golden/plan-openapi/${name}.json`, import.meta.url), 'utf8'));
    assert.ok(validate(plan), `${name}: ${ajv.errorsText(validate.errors)}`);
  }
  const plan = JSON.parse(readFileSync(new URL('../golden/plan-openapi/petstore.json', import.meta.url), 'utf8'));
  const aspect = structuredClone(plan);
  aspect.changes[0].apiOperations.changed[0].changes[0].aspect = 'headers';
  assert.not.ok(validate(aspect), 'an unknown aspect');
  const reasonless = structuredClone(plan);
  reasonless.changes[0].apiOperations = { status: 'not-compared' };
  assert.not.ok(validate(reasonless), 'not compared without a reason');
});

test.run();
