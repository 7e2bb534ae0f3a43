import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { buildPlan } from '../../src/plan/build-plan.ts';
import type { Plan } from '../../src/model/plan.ts';
import { describeImpact } from '../../src/model/impact.ts';
import { renderPlanJson } from '../../src/render/plan-json.ts';
import { renderPlanMarkdown } from '../../src/render/plan-markdown.ts';
import { renderPlanText } from '../../src/render/plan-text.ts';
import { plainStyle } from '../../src/render/style.ts';
import { assertGolden } from '../helpers/golden.ts';
import { desired, live } from '../fixtures/plan-cases.ts';

/**
 * One plan of every high-risk kind, its counts set as observe/impact.ts sets them: an unpublish,
 * an auth cycle, a delete, a narrowing update (a service removed) and a count that failed to load.
 */
function planWithCounts(): Plan {
  const plan = buildPlan({
    targets: [
      {
        name: 'sandbox-api7',
        provider: 'api7',
        identity: { url: 'sandbox://sandbox-api7', portal: 'default' },
        observedAt: '2026-11-25T09:00:00.000Z',
        desired: [
          desired('orders', 'draft'),
          desired('payments', 'published', { auth: ['basic-auth', 'key-auth'] }),
          desired('loyalty', 'published', { services: [] }),
          desired('identity', 'draft'),
        ],
        live: [live('orders', 'published'), live('payments', 'published'), live('loyalty', 'published'), live('identity', 'published'), live('retired', 'published')],
        lockedWhilePublished: ['auth'],
        unpublishConsequence: 'unpublishing cancels every subscription and removes the auth rules from the linked services',
        ignore: [],
        grantFields: [{ path: 'services' }],
      },
    ],
    prune: true,
    tool: { name: 'apiproducts', version: '0.0.0-test' },
    createdAt: '2026-11-25T09:00:01.000Z',
    configDigest: 'sha256:0000000000000000000000000000000000000000000000000000000000000000',
    diagnostics: [],
  });
  const counts: Record<string, number | string> = { orders: 42, payments: 1, loyalty: 3, retired: 0, identity: 'HTTP 503' };
  for (const change of plan.changes) {
    if (change.risk !== 'high') continue;
    const count = counts[change.key]!;
    const effect = change.key === 'loyalty' ? 'narrows' : 'cancels';
    change.impact = typeof count === 'number' ? { consumers: 'subscriptions', effect, count } : { consumers: 'subscriptions', effect, unknown: count };
  }
  return plan;
}

test('a plan with impact counts: text, JSON and Markdown match their golden files', () => {
  const plan = planWithCounts();
  assertGolden('plan/impact-counts.txt', renderPlanText(plan, plainStyle));
  assertGolden('plan/impact-counts.json', renderPlanJson(plan));
  assertGolden('plan/impact-counts.md', renderPlanMarkdown(plan));
});

test('every high-risk kind carries its count, shown once per object in text and Markdown', () => {
  const plan = planWithCounts();
  const risky = plan.changes.filter((change) => change.risk === 'high');
  assert.equal([...new Set(risky.map((change) => `${change.key}/${change.action}`))].sort(), [
    'identity/unpublish',
    'loyalty/update',
    'orders/unpublish',
    'payments/publish',
    'payments/unpublish',
    'payments/update',
    'retired/delete',
  ]);
  const text = renderPlanText(plan, plainStyle);
  const markdown = renderPlanMarkdown(plan);
  for (const phrase of ['cancels 42 subscriptions', 'cancels 1 subscription', 'narrows access for 3 subscriptions', 'cancels 0 subscriptions', 'subscriptions: unknown (HTTP 503)']) {
    assert.is(text.split(phrase).length - 1, 1, `text: ${phrase}`);
    const inMarkdown = phrase.replace(/[()]/g, '\\$&');
    assert.is(markdown.split(inMarkdown).length - 1, 1, `markdown: ${inMarkdown}`);
  }
  assert.match(text, '! sandbox-api7/payments: unpublish → update → publish (cancels 1 subscription): auth cannot change');
  assert.match(markdown, '- **unpublish** <code>sandbox-api7/orders</code> (**cancels 42 subscriptions**):');
});

test('an unknown count is never shown as a number', () => {
  assert.is(describeImpact({ consumers: 'developer apps', effect: 'breaks', unknown: 'HTTP 503' }), 'developer apps: unknown (HTTP 503)');
  assert.is(describeImpact({ consumers: 'developer apps', effect: 'breaks', count: 1 }), 'breaks 1 developer app');
  assert.is(describeImpact({ consumers: 'developer apps', effect: 'affects', count: 2 }), 'affects 2 developer apps');
  const json = JSON.parse(renderPlanJson(planWithCounts()));
  const identity = json.changes.find((change: { key: string }) => change.key === 'identity');
  assert.equal(identity.impact, { consumers: 'subscriptions', effect: 'cancels', unknown: 'HTTP 503' });
});

test('a count from a server is escaped where it is shown', () => {
  const plan = planWithCounts();
  const identity = plan.changes.find((change) => change.key === 'identity')!;
  identity.impact = { consumers: 'subscriptions', effect: 'cancels', unknown: 'bad\nFORGED LINE\u001b[31m' };
  const text = renderPlanText(plan, plainStyle);
  assert.not.match(text, '\nFORGED LINE');
  assert.match(text, 'subscriptions: unknown (bad\\u000AFORGED LINE\\u001B[31m)');
});

test.run();
