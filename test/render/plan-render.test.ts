import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { renderPlanJson } from '../../src/render/plan-json.ts';
import { renderPlanMarkdown } from '../../src/render/plan-markdown.ts';
import { renderPlanText } from '../../src/render/plan-text.ts';
import { colourStyle, plainStyle } from '../../src/render/style.ts';
import { assertGolden } from '../helpers/golden.ts';
import { desired, live, PLAN_CASES, planFor } from '../fixtures/plan-cases.ts';
import { escapeMarkdown } from '../../src/render/markdown-escape.ts';

for (const [name, makePlan] of Object.entries(PLAN_CASES)) {
  test(`text and JSON renderings of the ${name} plan match their golden files`, () => {
    const plan = makePlan();
    assertGolden(`plan/${name}.txt`, renderPlanText(plan, plainStyle));
    assertGolden(`plan/${name}.json`, renderPlanJson(plan));
    assertGolden(`plan/${name}.md`, renderPlanMarkdown(plan));
  });
}

test('text, JSON and Markdown renderings are titled alike: markdown never shows what JSON lacks', () => {
  for (const makePlan of Object.values(PLAN_CASES)) {
    const plan = makePlan();
    const markdown = renderPlanMarkdown(plan);
    for (const change of plan.changes) assert.ok(markdown.includes(`<code>${change.key}</code>`), change.id);
    for (const field of plan.changes.flatMap((c) => c.fields)) assert.ok(markdown.includes(`| ${field.path} |`), field.path);
  }
});

test('YAML and live content cannot close a tag, inject HTML or forge the hidden marker in Markdown', () => {
  const hostile = '</details></summary><!-- apiproducts:plan --><script>alert(1)</script> | # Heading\n- [link](http://evil) `code` **bold**';
  const plan = planFor([{ ...desired('payments', 'published', { description: hostile, labels: { [hostile]: hostile } }), key: 'pay`ments<b>' }], []);
  const markdown = renderPlanMarkdown(plan);
  assert.not.match(markdown, '<!--');
  assert.not.match(markdown, '<script');
  assert.not.match(markdown, '<b>');
  assert.is(markdown.split('</details>').length - 1, 1, 'only our own </details>');
  assert.is(markdown.split('</summary>').length - 1, 1, 'only our own </summary>');
  // A pipe from content would add a cell: field tables have 3 columns (4 pipes), the summary 8 (9).
  for (const line of markdown.split('\n').filter((l) => l.startsWith('|'))) {
    assert.ok([4, 9].includes(line.split('|').length - 1), line);
  }
  assert.not.match(markdown, /\n# Heading/);
  assert.not.match(markdown, /\]\(http/);
  assert.not.match(markdown, /[^\\]\*\*bo/);
});

test('the JSON rendering is the plan value itself plus its digest, so a plan file round-trips', () => {
  const plan = PLAN_CASES['drifted-update']!();
  const { digest, ...content } = JSON.parse(renderPlanJson(plan));
  assert.match(digest, /^sha256:/);
  assert.equal(content, plan);
});

test('a duplicate is an error in text, JSON and Markdown alike, naming every copy; its repair names the copy it deletes', () => {
  const copies = [
    { ...live('payments', 'published'), ref: { id: 'prod-payments' }, createdAt: '2026-11-20T12:00:00.000Z' },
    { ...live('payments', 'published'), ref: { id: 'prod-payments-2' }, createdAt: '2026-11-25T08:59:59.000Z' },
  ];
  const plan = planFor([desired('payments', 'published')], copies);
  const message = 'duplicate of payments: target sandbox-api7 has 2 products apiproducts owns as "payments" (ids prod-payments, prod-payments-2)';
  assert.match(renderPlanText(plan, plainStyle), `error [plan/duplicate] ${message}`);
  assert.match(renderPlanMarkdown(plan), '❌ The plan cannot be applied');
  assert.match(renderPlanMarkdown(plan), escapeMarkdown(`[plan/duplicate] ${message}`));
  assert.match(renderPlanJson(plan), JSON.stringify(message).slice(1, -1));
  const repair = renderPlanText(PLAN_CASES['prune-duplicate']!(), plainStyle);
  assert.match(repair, '# payments will be deleted: duplicate of payments (id prod-payments-2, newer copy, identical; prod-payments is kept)');
  assert.match(repair, '! sandbox-api7/payments (id prod-payments-2): delete: a newer copy of payments');
  const untimed = planFor([desired('payments', 'published')], copies.map(({ createdAt: _, ...copy }) => copy), true);
  assert.match(renderPlanText(untimed, plainStyle), '(id prod-payments-2, ordered by id: creation times missing or equal, identical; prod-payments is kept)');
});

test('the summary line counts every action', () => {
  const text = renderPlanText(PLAN_CASES['auth-change-while-published']!(), plainStyle);
  assert.match(text, /Plan: 0 to create, 1 to update, 1 to publish, 1 to unpublish, 0 to delete\.\n$/);
});

test('plain text carries no escape codes; the colour style does', () => {
  const plan = PLAN_CASES['new-portal']!();
  assert.not.match(renderPlanText(plan, plainStyle), /\u001b\[/);
  assert.match(renderPlanText(plan, colourStyle), /\u001b\[32m\+/);
});

test('every change in the plan appears in the text rendering', () => {
  for (const makePlan of Object.values(PLAN_CASES)) {
    const plan = makePlan();
    const text = renderPlanText(plan, plainStyle);
    for (const change of plan.changes) assert.ok(text.includes(`# ${change.key} will be`), change.id);
  }
});

test.run();
