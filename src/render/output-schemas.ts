import type { JsonSchema } from '../model/vendor-schema.ts';
import { PLAN_FORMAT_VERSION } from '../model/plan.ts';
import { DRIFT_FORMAT_VERSION } from '../plan/drift.ts';
import { APPLY_OUTPUT_FORMAT_VERSION } from './apply-json.ts';

/**
 * The JSON Schemas of what `plan --format json` / `--out`, `apply --format json` and
 * `drift --format json` print, written here beside the renderers so that `npm run schemas`
 * regenerates schemas/*.json and the staleness test catches a shape change made without them.
 * Each file is self-contained (its own copy of the shared $defs): a consumer validates with one
 * file and no $ref resolution across URLs.
 */

const BASE = 'https://apiproducts.dev/schemas/';
const ISO_TIME = { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?Z$', description: 'UTC time, ISO 8601 (Date.toISOString).' };
const SHA256 = { type: 'string', pattern: '^sha256:[0-9a-f]{64}$' };
const STRINGS = { type: 'array', items: { type: 'string' } };
const STRING_MAP = { type: 'object', additionalProperties: { type: 'string' } };
const COUNT = { type: 'integer', minimum: 0 };

/** An object with exactly these properties: the shapes apiproducts owns are closed, so a typo or a removed field fails validation. */
function closed(description: string, required: string[], properties: Record<string, JsonSchema>): JsonSchema {
  return { type: 'object', description, required, additionalProperties: false, properties };
}

const ref = (name: string): JsonSchema => ({ $ref: `#/$defs/${name}` });

/** The shapes a plan is made of; the apply output embeds a plan, the drift report its targets. */
const PLAN_DEFS: Record<string, JsonSchema> = {
  plan: closed('A plan: what apply will do, change by change, and what it was planned against.', ['formatVersion', 'tool', 'createdAt', 'configDigest', 'targets', 'changes', 'diagnostics'], {
    formatVersion: { const: PLAN_FORMAT_VERSION, description: 'Bumped whenever the plan changes shape; apply refuses a plan file of another version.' },
    digest: { ...SHA256, description: 'sha-256 over the rest of the plan file; apply refuses a file whose content no longer matches it. Absent only in apply output for a plan made in the same run.' },
    tool: closed('The apiproducts that made the plan.', ['name', 'version'], { name: { const: 'apiproducts' }, version: { type: 'string' } }),
    createdAt: ISO_TIME,
    configDigest: { type: 'string', pattern: '^sha256:', description: 'sha-256 of apiproducts.yaml and every product file, in path order.' },
    targets: { type: 'array', items: ref('target') },
    changes: { type: 'array', items: ref('change') },
    diagnostics: { type: 'array', items: ref('diagnostic'), description: 'Warnings from validation and preflight (errors stop before a plan exists).' },
  }),
  target: closed('One target as observed when the plan was made.', ['name', 'provider', 'identity', 'observedAt', 'unmanaged', 'orphaned'], {
    name: { type: 'string' },
    provider: { type: 'string', description: 'The vendor, e.g. api7 or apigee.' },
    identity: closed('The live system the plan was made against; a saved plan refuses another one.', ['url'], { url: { type: 'string' }, portal: { type: 'string' }, org: { type: 'string' } }),
    observedAt: ISO_TIME,
    unmanaged: { ...COUNT, description: 'Live objects without the ownership marker: counted, never touched.' },
    orphaned: { ...STRINGS, description: 'Keys of owned objects no longer in Git, not deleted because pruning is off.' },
    managedByOthers: {
      type: 'object',
      description: "Live objects another configuration's owner: manages on this shared portal, counted by owner ('' for one without owner:): never touched. Absent when there are none.",
      additionalProperties: COUNT,
    },
    ownedOnly: { const: true, description: 'Only owned objects were read (drift with a filtered list): unowned ones were not read, so unmanaged is 0 and counts nothing.' },
  }),
  change: closed('One step of the plan.', ['id', 'action', 'target', 'key', 'product', 'fields', 'risk', 'reasons', 'dependsOn', 'precondition', 'protected'], {
    id: { type: 'string', description: '<target>/<key>/<action>, with @<ref> on the delete of a duplicate copy; unique in a plan.' },
    action: ref('action'),
    target: { type: 'string' },
    key: { type: 'string', description: "The object's identity on the target." },
    product: { type: 'string', description: 'The product in Git the object belongs to.' },
    fields: { type: 'array', items: ref('fieldChange') },
    apiOperations: ref('apiOperations'),
    risk: { enum: ['low', 'high'] },
    reasons: { ...STRINGS, description: 'Why the change is high risk; empty for low risk.' },
    dependsOn: { ...STRINGS, description: 'Ids of the changes that must apply first.' },
    precondition: ref('precondition'),
    after: ref('objectAfter'),
    ref: { ...STRING_MAP, description: 'Provider ids of the live object; absent for create.' },
    adopts: { type: 'boolean', description: 'This update takes over an object apiproducts did not create, or another owner manages.' },
    adoptsFrom: { type: 'string', description: "With adopts: the owner the object is taken from ('' for a configuration without owner:)." },
    changedOutsideGit: { type: 'boolean', description: 'The live object was edited outside Git since apiproducts last wrote it.' },
    duplicate: closed('Set on the delete of a newer copy of an object owned twice or more.', ['kept', 'order'], { kept: { type: 'string' }, order: { enum: ['created', 'id'] } }),
    source: ref('sourcePosition'),
    protected: { type: 'boolean' },
    impact: ref('impact'),
  }),
  impact: {
    description: 'On a high-risk change: the consumers it affects, read from the target when the plan was made (docs/impact.md). A count that could not be read has `unknown` instead of `count`, never 0.',
    oneOf: [
      closed('The count was read.', ['consumers', 'effect', 'count'], { consumers: ref('consumers'), effect: ref('effect'), count: COUNT }),
      closed('The count could not be read.', ['consumers', 'effect', 'unknown'], {
        consumers: ref('consumers'),
        effect: ref('effect'),
        unknown: { type: 'string', description: 'Why, e.g. `HTTP 503`.' },
      }),
    ],
  },
  consumers: { enum: ['subscriptions', 'developer apps'], description: "Who holds the object: API7's subscriptions, Apigee's developer apps." },
  effect: {
    enum: ['cancels', 'breaks', 'narrows', 'affects'],
    description: 'cancels: the vendor removes them; breaks: their requests fail; narrows: they lose part of what the product grants; affects: they keep working while the product changes under them.',
  },
  action: { enum: ['create', 'update', 'publish', 'unpublish', 'delete'] },
  apiOperations: {
    description: "An update of an OpenAPI document (API7 external products): the operations Git's document adds, removes and changes against the live one, keyed by method + path template with parameter names blanked. The `openapi` field keeps the digests. Every operation is listed here; text and Markdown show the first 20.",
    oneOf: [
      closed('The two documents were compared.', ['status', 'added', 'removed', 'changed'], {
        status: { const: 'compared' },
        added: { type: 'array', items: ref('operation') },
        removed: { type: 'array', items: ref('operation'), description: 'On a product published before and after the update, these make the change high risk.' },
        changed: {
          type: 'array',
          items: closed('An operation in both documents whose client-facing content differs.', ['method', 'path', 'changes'], {
            method: { type: 'string' },
            path: { type: 'string', description: "The path template as Git's document writes it." },
            livePath: { type: 'string', description: 'The path as the live document writes it, when only its parameter names differ.' },
            changes: {
              type: 'array',
              items: closed('What changed in one part of the operation, by element name.', ['aspect', 'added', 'removed', 'changed'], {
                aspect: { enum: ['parameters', 'requestBody', 'responses', 'security'] },
                added: { ...STRINGS, description: 'parameters: `<in> <name>` (`path {1}` by position); requestBody: media types and `required`; responses: status codes; security: requirements such as `oauth[read write]`.' },
                removed: STRINGS,
                changed: { ...STRINGS, description: 'A parameter whose required flag flipped ends in ` (now required)` or ` (now optional)`.' },
              }),
            },
          }),
        },
      }),
      closed('The operations could not be compared; the `openapi` field shows the digest change only.', ['status', 'reason'], {
        status: { const: 'not-compared' },
        reason: { type: 'string', description: 'e.g. the live document cannot be read, or it refers to a remote $ref (never fetched).' },
      }),
    ],
  },
  operation: closed('An operation of an OpenAPI document.', ['method', 'path'], { method: { type: 'string', description: 'Upper case.' }, path: { type: 'string' } }),
  fieldChange: closed('One field that differs, by dotted path; a side that is absent is not set.', ['path'], { path: { type: 'string' }, before: {}, after: {} }),
  precondition: {
    description: 'What the live object must still be for the change to be safe to apply.',
    oneOf: [
      closed('The object must not exist.', ['kind'], { kind: { const: 'absent' } }),
      closed('The object must exist with exactly this fingerprint.', ['kind', 'fingerprint', 'observed'], {
        kind: { const: 'present' },
        fingerprint: SHA256,
        observed: closed('The normalised live object the fingerprint was taken of.', ['status', 'state'], { status: ref('status'), state: ref('state') }),
      }),
    ],
  },
  objectAfter: closed('The object as it must be once the change is applied; absent for delete.', ['status', 'state'], {
    status: ref('status'),
    state: ref('state'),
    attachments: { ...STRING_MAP, description: 'Content compared by digest only (e.g. an OpenAPI document).' },
    ignored: { type: 'array', items: { type: 'string' }, description: "The target's `ignore:` fields: kept at their live value, and left out of the last-applied marker." },
  }),
  status: { enum: ['draft', 'published'] },
  state: { type: 'object', description: "The provider's normalised form of the object; its keys are the provider's." },
  sourcePosition: closed('A file relative to the working directory, 1-based line and column.', ['file', 'line', 'column'], {
    file: { type: 'string' },
    line: { type: 'integer', minimum: 1 },
    column: { type: 'integer', minimum: 1 },
  }),
  diagnostic: closed('One problem found in the input or a target.', ['severity', 'rule', 'message'], {
    severity: { enum: ['error', 'warning'] },
    rule: { type: 'string', description: 'A stable id such as schema/enum or api7/visibility.' },
    message: { type: 'string' },
    fix: { type: 'string' },
    source: ref('sourcePosition'),
    target: { type: 'string' },
    product: { type: 'string' },
  }),
};

const REPORT_DEFS: Record<string, JsonSchema> = {
  report: closed('What the apply did, change by change.', ['dryRun', 'startedAt', 'finishedAt', 'results'], {
    dryRun: { type: 'boolean' },
    startedAt: ISO_TIME,
    finishedAt: ISO_TIME,
    results: { type: 'array', items: ref('result') },
    traffic: { type: 'array', items: ref('traffic'), description: 'Per target, in plan order; absent on a dry run (nothing was sent).' },
  }),
  result: closed('The outcome of one change.', ['changeId', 'action', 'target', 'key', 'outcome', 'attempts', 'durationMs'], {
    changeId: { type: 'string' },
    action: ref('action'),
    target: { type: 'string' },
    key: { type: 'string' },
    outcome: { enum: ['applied', 'failed', 'skipped', 'would-apply'], description: 'would-apply: a dry run got this far and stopped short of the write.' },
    message: { type: 'string', description: "The provider's error for a failure, the blocking change or policy for a skip." },
    attempts: COUNT,
    durationMs: { type: 'number', minimum: 0 },
    waitMs: { type: 'number', minimum: 0, description: 'Time waited between tries; absent when it never waited.' },
    confirmedAfterLostAnswer: { const: true, description: 'Applied, though an answer was lost: the retry found the write had taken effect.' },
  }),
  traffic: closed("How one target's management API was used during the apply.", ['target', 'requests', 'retries', 'waitMs', 'rateLimited', 'concurrency'], {
    target: { type: 'string' },
    requests: { ...COUNT, description: 'HTTP requests sent, retries included.' },
    retries: COUNT,
    waitMs: { type: 'number', minimum: 0 },
    rateLimited: { ...COUNT, description: '429 answers.' },
    concurrency: closed('Writes in flight: the configured limit and the lowest the adaptive limit went to.', ['configured', 'lowest'], { configured: COUNT, lowest: COUNT }),
    pacedPerSecond: { type: 'number', minimum: 0, description: 'Request starts per second the target was paced to after 429s; absent when never paced.' },
  }),
};

const DRIFT_DEFS: Record<string, JsonSchema> = {
  item: closed('One object where a target and Git disagree.', ['target', 'key', 'product', 'kind', 'fields'], {
    target: { type: 'string' },
    key: { type: 'string' },
    product: { type: 'string' },
    kind: { enum: ['changed-outside-git', 'not-yet-applied', 'missing', 'orphaned'] },
    fields: { type: 'array', items: ref('field'), description: 'Empty for missing and orphaned objects.' },
  }),
  field: closed('One field where live and Git disagree; a side that is absent is not set.', ['path'], { path: { type: 'string' }, live: {}, desired: {} }),
};

/** A schema file: the root shape (whose description says which command prints it) and its $defs. */
function file(name: string, title: string, root: JsonSchema, defs: Record<string, JsonSchema>): JsonSchema {
  const { description, ...shape } = root;
  return { $schema: 'https://json-schema.org/draft/2020-12/schema', $id: BASE + name, title, description, ...shape, $defs: defs };
}

/** File name under schemas/ → schema. */
export function outputSchemas(): Record<string, JsonSchema> {
  // A saved or printed plan file always carries its digest; only apply's embedded plan may lack it.
  const { plan, ...fileDefs } = PLAN_DEFS;
  const planFile = {
    ...plan,
    description: 'What `apiproducts plan --out FILE` saves and `plan --format json` prints.',
    required: [...(plan!.required as string[]), 'digest'],
  };
  const applyOutput = closed(
    'What `apiproducts apply --format json` prints: the plan it ran and the report (null when there was nothing to do).',
    ['formatVersion', 'plan', 'report'],
    {
      formatVersion: { const: APPLY_OUTPUT_FORMAT_VERSION, description: 'Bumped whenever this output changes shape; the plan inside has its own.' },
      plan: ref('plan'),
      report: { oneOf: [ref('report'), { type: 'null' }] },
    },
  );
  const drift = closed('What `apiproducts drift --format json` prints: every object where a target and Git disagree.', ['formatVersion', 'createdAt', 'targets', 'items'], {
    formatVersion: { const: DRIFT_FORMAT_VERSION, description: 'Bumped whenever the report changes shape.' },
    createdAt: ISO_TIME,
    targets: { type: 'array', items: ref('target') },
    items: { type: 'array', items: ref('item') },
    products: { type: 'array', items: { type: 'string' }, description: '`--product`: the Git products the report was narrowed to; absent, every product of each target. `github drift-issue` refuses such a report.' },
  });
  return {
    'plan.schema.json': file('plan.schema.json', 'apiproducts plan file', planFile, fileDefs),
    'apply-output.schema.json': file('apply-output.schema.json', 'apiproducts apply output', applyOutput, { ...PLAN_DEFS, ...REPORT_DEFS }),
    'drift.schema.json': file('drift.schema.json', 'apiproducts drift report', drift, { target: PLAN_DEFS.target!, ...DRIFT_DEFS }),
  };
}
