/**
 * The provider contract (DESIGN §5, §8): the same cases against every provider, each over real
 * HTTP against its emulator, through the real pipeline (toDesired → observe → buildPlan →
 * applyPlan → observe). Subjects and their example products are in contract-subjects.ts.
 */
import { applyChange } from '../helpers/apply-change.ts';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { applyPlan } from '../../src/apply/apply-plan.ts';
import { fingerprint } from '../../src/model/fingerprint.ts';
import { compareStates } from '../../src/diff/compare.ts';
import { desiredObjects } from '../../src/commands/desired-objects.ts';
import type { ApplyReport, Change, ChangeAction, Plan } from '../../src/model/plan.ts';
import type { ProductSource } from '../../src/model/product.ts';
import { buildPlan } from '../../src/plan/build-plan.ts';
import { type Provider } from '../../src/providers/provider.ts';
import { ProviderError } from '../../src/providers/transport/provider-error.ts';
import { type LiveObject } from '../../src/model/objects.ts';
import { assertNoSecrets, byKey } from './apigee-harness.ts';
import { productSource, SUBJECTS, type ProductDoc, type Running, type Subject } from './contract-subjects.ts';

/** Every error message the suite saw, checked for credentials at the end. */
const messages: string[] = [];

interface Planned {
  plan: Plan;
  live: LiveObject[];
}

/** observe → desired → buildPlan for one target, the way `apiproducts plan` composes them. */
async function planFor(subject: Subject, provider: Provider, sources: readonly ProductSource[], prune = false): Promise<Planned> {
  const { kind, target } = subject;
  const live = await provider.observe();
  const plan = buildPlan({
    targets: [
      {
        name: target.name,
        provider: kind.kind,
        identity: kind.identify(target),
        observedAt: '2026-11-25T09:00:00.000Z',
        desired: desiredObjects({ products: [...sources] }, target, kind),
        live,
        lockedWhilePublished: kind.lockedWhilePublished,
        unpublishConsequence: kind.unpublishConsequence,
        ignore: target.ignore,
        hiddenWhileDraft: kind.hiddenWhileDraft ?? [],
      },
    ],
    prune,
    tool: { name: 'apiproducts', version: '0.0.0-contract' },
    createdAt: '2026-11-25T09:00:01.000Z',
    configDigest: 'sha256:contract',
    diagnostics: [],
  });
  return { plan, live };
}

function apply(subject: Subject, provider: Provider, plan: Plan): Promise<ApplyReport> {
  return applyPlan(plan, new Map([[subject.target.name, provider]]), { concurrency: 4, dryRun: false, allowDestructive: true });
}

function assertApplied(report: ApplyReport, what: string): void {
  for (const result of report.results) {
    assert.is(result.outcome, 'applied', `${what}: ${result.changeId} ${result.message ?? ''}`);
  }
}

const actions = (plan: Plan): string[] => plan.changes.map((change) => `${change.action} ${change.key}`);
const sourcesOf = (subject: Subject, docs: readonly ProductDoc[]): ProductSource[] => docs.map((doc) => productSource(subject, doc));

/** One emulator per test, closed whatever happens. */
async function withRunning(subject: Subject, run: (running: Running) => Promise<void>, options: { empty?: boolean } = {}): Promise<void> {
  const running = await subject.start(options);
  try {
    await run(running);
  } finally {
    await running.close();
  }
}

async function providerError(promise: Promise<unknown>): Promise<ProviderError> {
  try {
    await promise;
  } catch (error) {
    assert.instance(error, ProviderError);
    messages.push((error as ProviderError).message);
    return error as ProviderError;
  }
  throw new Error('expected a ProviderError');
}

for (const subject of SUBJECTS) {
  const name = subject.name;

  test(`${name}: observe pages through 2,500 products, each once and normalised, in O(pages) list calls`, async () => {
    await withRunning(subject, async (running) => {
      const planted = Array.from({ length: 2500 }, (_, i) => {
        const key = `bulk-${String(i).padStart(4, '0')}`;
        return i % 2 === 0 ? { key, owned: true, displayName: `Bulk ${i}` } : { key, owned: false };
      });
      running.plant(planted);
      const live = await subject.connect(running).observe();
      assert.is(live.length, 2500);
      const seen = new Map(live.map((object) => [object.key, object]));
      assert.is(seen.size, 2500);
      for (const { key, owned, displayName } of planted) {
        const object = seen.get(key);
        assert.ok(object, key);
        assert.is(object.owned, owned, key);
        assert.is(object.product, owned ? key : undefined, key);
        assert.is(object.status, 'published', key);
        assert.is(object.state.displayName, displayName ?? key, key);
        assert.is(object.state.description, `Planted ${key}.`, key);
        for (const readOnly of ['id', 'created_at', 'updated_at', 'createdAt', 'lastModifiedAt', 'createdBy', 'name']) {
          assert.not.ok(readOnly in object.state, `${key}: ${readOnly} is not state`);
        }
      }
      const lists = running.requests.filter((r) => r.method === 'GET' && r.path === subject.listPath);
      assert.is(lists.length, subject.listRequestsFor2500);
      assert.not.ok(running.requests.some((r) => r.path.startsWith(`${subject.listPath}/`)), 'never one GET per product');
    }, { empty: true });
  });

  test(`${name}: create, update, publish, unpublish, delete: each planned alone, applied, observed, then nothing left to do`, async () => {
    await withRunning(subject, async (running) => {
      const provider = subject.connect(running);
      const doc = (fields: Record<string, string>): ProductDoc => ({ name: 'demo', fields, binding: subject.binding(0) });
      const steps: { action: ChangeAction; docs: ProductDoc[]; prune?: boolean; check: (live: LiveObject | undefined) => void }[] = [
        { action: 'create', docs: [doc({ status: 'draft' })], check: (live) => assert.is(live?.status, 'draft') },
        {
          action: 'update',
          docs: [doc({ status: 'draft', description: 'Now with a better description.' })],
          check: (live) => assert.is(live?.state.description, 'Now with a better description.'),
        },
        { action: 'publish', docs: [doc({ description: 'Now with a better description.' })], check: (live) => assert.is(live?.status, 'published') },
        { action: 'unpublish', docs: [doc({ status: 'draft', description: 'Now with a better description.' })], check: (live) => assert.is(live?.status, 'draft') },
        { action: 'delete', docs: [], prune: true, check: (live) => assert.is(live, undefined) },
      ];
      for (const step of steps) {
        const sources = sourcesOf(subject, step.docs);
        const { plan } = await planFor(subject, provider, sources, step.prune);
        assert.equal(actions(plan), [`${step.action} demo`], step.action);
        assertApplied(await apply(subject, provider, plan), step.action);
        const { plan: again, live } = await planFor(subject, provider, sources, step.prune);
        const demo = byKey(live, 'demo');
        step.check(demo);
        if (demo) {
          assert.ok(demo.owned, step.action);
          const [desired] = desiredObjects({ products: sources }, subject.target, subject.kind);
          assert.equal(compareStates(demo.state, desired!.state), [], step.action);
        }
        assert.equal(actions(again), [], `${step.action}: a second plan is empty`);
      }
      assert.not.ok(running.requests.some((r) => r.method === 'GET' && r.path.startsWith(`${subject.listPath}/`)), 'never one GET per product');
      // An empty portal: pruning then deletes `demo` alone (the seed's owned `orders` would be pruned too).
    }, { empty: true });
  });

  test(`${name}: unowned products are counted, never changed; a collision is a diagnostic until adopted`, async () => {
    await withRunning(subject, async (running) => {
      const provider = subject.connect(running);
      const foreign = Array.from({ length: 5 }, (_, i) => ({ key: `foreign-${i}`, owned: false }));
      running.plant([...foreign, { key: 'ledger', owned: false }]);
      const unownedBefore = (await provider.observe()).filter((object) => !object.owned);
      const docs = (adopt: boolean): ProductDoc[] => [
        { name: 'alpha', binding: subject.binding(0) },
        { name: 'ledger', binding: `${subject.binding(1)}${adopt ? '\nadopt: true' : ''}` },
      ];

      const { plan } = await planFor(subject, provider, sourcesOf(subject, docs(false)));
      assert.equal(actions(plan), ['create alpha']);
      assert.is(plan.targets[0]!.unmanaged, unownedBefore.length);
      const collisions = plan.diagnostics.filter((d) => d.rule === 'plan/unowned-collision');
      assert.is(collisions.length, 1);
      assert.is(collisions[0]!.product, 'ledger');
      assert.is(collisions[0]!.severity, 'error');
      assert.match(collisions[0]!.message, '"ledger"');

      const adopted = await planFor(subject, provider, sourcesOf(subject, docs(true)));
      const takeover = adopted.plan.changes.find((change) => change.key === 'ledger' && change.action === 'update');
      assert.ok(takeover, actions(adopted.plan).join(', '));
      assert.ok(takeover.adopts);
      assert.equal(takeover.fields[0], { path: 'ownership', before: 'unmanaged', after: 'apiproducts' });
      assert.equal(adopted.plan.diagnostics, []);
      assert.ok(adopted.plan.changes.every((change) => ['alpha', 'ledger'].includes(change.key)), 'unowned products never change');
      assertApplied(await apply(subject, provider, adopted.plan), 'adopt');

      const after = await planFor(subject, provider, sourcesOf(subject, docs(true)));
      assert.equal(actions(after.plan), []);
      const ledger = byKey(after.live, 'ledger');
      assert.ok(ledger?.owned);
      assert.is(ledger.product, 'ledger');
      assert.is(after.plan.targets[0]!.unmanaged, unownedBefore.length - 1);
      for (const { key } of foreign) assert.is(byKey(after.live, key)?.owned, false, `${key} left alone`);
    });
  });

  test(`${name}: every product shape it supports is idempotent: apply, then the plan is empty`, async () => {
    await withRunning(subject, async (running) => {
      const provider = subject.connect(running);
      const sources = sourcesOf(subject, subject.shapes);
      const desired = desiredObjects({ products: sources }, subject.target, subject.kind);
      const { plan } = await planFor(subject, provider, sources);
      assert.equal(actions(plan).sort(), desired.map((object) => `create ${object.key}`).sort());
      assert.ok(desired.some((object) => object.status === 'draft') && desired.some((object) => object.status === 'published'));
      assertApplied(await apply(subject, provider, plan), 'shapes');
      const { plan: again, live } = await planFor(subject, provider, sources);
      assert.equal(actions(again), [], 'a second plan is empty');
      for (const object of desired) {
        const found = byKey(live, object.key);
        assert.ok(found?.owned, object.key);
        assert.is(found.status, object.status, object.key);
        assert.equal(compareStates(found.state, object.state), [], object.key);
      }
    });
  });

  test(`${name}: lastApplied is the fingerprint of what apply wrote, until someone edits it outside Git`, async () => {
    await withRunning(subject, async (running) => {
      const provider = subject.connect(running);
      const sources = sourcesOf(subject, [{ name: 'drifty', binding: subject.binding(0) }]);
      assertApplied(await apply(subject, provider, (await planFor(subject, provider, sources)).plan), 'create');
      const written = byKey(await provider.observe(), 'drifty')!;
      assert.ok(written.lastApplied);
      assert.is(written.lastApplied, fingerprint({ status: written.status, state: written.state }));

      await running.editOutOfBand(written, 'Edited in the dashboard.');
      const { plan, live } = await planFor(subject, provider, sources);
      const edited = byKey(live, 'drifty')!;
      assert.is(edited.state.description, 'Edited in the dashboard.');
      assert.is(edited.lastApplied, written.lastApplied, 'the marker survives an edit that keeps it');
      assert.is.not(edited.lastApplied, fingerprint({ status: edited.status, state: edited.state }));
      assert.equal(actions(plan), ['update drifty']);
      assert.ok(plan.changes[0]!.changedOutsideGit);
      assert.equal(plan.changes[0]!.fields.map((field) => field.path), ['description']);
    });
  });

  test(`${name}: a write the server refuses is a one-line ProviderError with its status, naming the product`, async () => {
    await withRunning(subject, async (running) => {
      const provider = subject.connect(running);
      const sources = sourcesOf(subject, [{ name: 'clash', binding: subject.binding(2) }]);
      const { plan } = await planFor(subject, provider, sources);
      assert.equal(actions(plan), ['create clash']);
      // Between plan and apply, someone else takes the name (Apigee) or the service (API7).
      running.plant([{ key: 'clash', owned: false, backend: 2 }]);

      const report = await apply(subject, provider, plan);
      const [result] = report.results;
      assert.is(result!.outcome, 'failed');
      assert.is(result!.attempts, 1, 'a refusal is not retried');
      assert.match(result!.message!, new RegExp(`^clash: HTTP ${subject.conflictStatus} from POST \\S+: \\S`));
      assert.not.match(result!.message!, '\n');

      const error = await providerError(applyChange(provider, plan.changes[0] as Change));
      assert.is(error.status, subject.conflictStatus);
      assert.not.ok(error.retryable);
      assert.is(error.message, result!.message);
    });
  });

  test(`${name}: wrong credentials are a 401 that never shows a secret`, async () => {
    await withRunning(subject, async (running) => {
      const wrong = `wrong-SENTINEL-${name}-5e3a1f`;
      const provider = subject.connect(running, wrong);
      const observed = await providerError(provider.observe());
      assert.is(observed.status, 401);
      assert.not.ok(observed.retryable);
      assert.match(observed.message, /^HTTP 401 from GET \S+: \S/);

      const sources = sourcesOf(subject, [{ name: 'locked-out', binding: subject.binding(0) }]);
      const { plan } = await planFor(subject, subject.connect(running), sources);
      const written = await providerError(applyChange(provider, plan.changes[0]!));
      assert.is(written.status, 401);
      assert.match(written.message, /^locked-out: HTTP 401 from /);
      assertNoSecrets([observed.message, written.message], [wrong, running.secret]);
      assert.not.ok(running.requests.some((r) => r.method !== 'GET' && r.status < 400), 'nothing was written');
    });
  });
}

test('no error message of the suite shows a credential or spans lines', () => {
  assert.ok(messages.length >= SUBJECTS.length * 3, String(messages.length));
  // Every token of the suite, right or wrong, contains SENTINEL, which assertNoSecrets looks for.
  assertNoSecrets(messages, []);
});

test.run();
