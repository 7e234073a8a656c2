/** The dry-run report's tab title: never two alike, the scenario and (when ids collide) the file said in it. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { reportTitles, sameReport, type ReportKey } from '../../client/src/dryRun/reportTitle.js';

const report = (file: string, id: string | null, fail: string[] = [], deny: string[] = [], advisoriesAsOf: string | null = null): ReportKey => ({ file, id, fail, deny, advisoriesAsOf });

test('one report: the playbook id, and nothing more when everything succeeds', () => {
  assert.deepEqual(reportTitles([report('ops/checkout-outage.playbook.yaml', 'checkout-outage')]), ['Dry-run: checkout-outage']);
  assert.deepEqual(reportTitles([report('ops/untitled.playbook.yaml', null)]), ['Dry-run: ops/untitled.playbook.yaml']);
});

test('two scenarios of one playbook: each title says its scenario, in the words the reports use', () => {
  assert.deepEqual(reportTitles([
    report('checkout-outage.playbook.yaml', 'checkout-outage'),
    report('checkout-outage.playbook.yaml', 'checkout-outage', [], ['security-review']),
    report('checkout-outage.playbook.yaml', 'checkout-outage', ['roll-back']),
    report('checkout-outage.playbook.yaml', 'checkout-outage', ['roll-back', 'tell-security'], ['db-access-review']),
    report('checkout-outage.playbook.yaml', 'checkout-outage', [], [], '2021-12-09'),
  ]), [
    'Dry-run: checkout-outage',
    'Dry-run: checkout-outage (security-review denied)',
    'Dry-run: checkout-outage (roll-back fails)',
    'Dry-run: checkout-outage (roll-back, tell-security fail; db-access-review denied)',
    'Dry-run: checkout-outage (advisories as of 2021-12-09)',
  ]);
});

test('two playbooks with one id: the file tells them apart (its name, or its path when the names are alike too)', () => {
  assert.deepEqual(reportTitles([report('payments/checkout.playbook.yaml', 'checkout-outage'), report('web/checkout-web.playbook.yaml', 'checkout-outage', [], ['security-review'])]), [
    'Dry-run: checkout-outage — checkout.playbook.yaml',
    'Dry-run: checkout-outage — checkout-web.playbook.yaml (security-review denied)',
  ]);
  assert.deepEqual(reportTitles([report('payments/checkout.playbook.yaml', 'checkout-outage'), report('web/checkout.playbook.yaml', 'checkout-outage'), report('other.playbook.yaml', 'other')]), [
    'Dry-run: checkout-outage — payments/checkout.playbook.yaml',
    'Dry-run: checkout-outage — web/checkout.playbook.yaml',
    'Dry-run: other',
  ]);
});

test('the same playbook and scenario is the same report (scenario ids in any order)', () => {
  assert.ok(sameReport(report('a.playbook.yaml', 'a', ['x', 'y']), report('a.playbook.yaml', 'a', ['y', 'x'])));
  assert.ok(!sameReport(report('a.playbook.yaml', 'a', ['x']), report('a.playbook.yaml', 'a', [], ['x'])));
  assert.ok(!sameReport(report('a.playbook.yaml', 'a'), report('b.playbook.yaml', 'a')));
  assert.ok(!sameReport(report('a.playbook.yaml', 'a'), report('a.playbook.yaml', 'a', [], [], '2021-12-09')));
});

test('any set of open reports that are not the same report gets titles that are all different, in words', () => {
  const ids = fc.subarray(['roll-back', 'tell-security', 'security-review', 'db-access-review']);
  const key = fc.record({
    file: fc.constantFrom('a.playbook.yaml', 'b/a.playbook.yaml', 'c/a.playbook.yaml', 'b.playbook.yaml', 'x — y.playbook.yaml'),
    id: fc.constantFrom('checkout-outage', 'other', null, 'a.playbook.yaml'),
    fail: ids,
    deny: ids,
    advisoriesAsOf: fc.constantFrom(null, '2021-12-09'),
  });
  fc.assert(fc.property(fc.array(key, { maxLength: 8 }), (keys) => {
    // The panel keeps one report per playbook and scenario, and one playbook has one id.
    const reports = keys.filter((k, i) => keys.findIndex((o) => o.file === k.file) === i || keys.find((o) => o.file === k.file)!.id === k.id).filter((k, i, all) => all.findIndex((o) => sameReport(o, k)) === i);
    const titles = reportTitles(reports);
    assert.equal(new Set(titles).size, titles.length, titles.join('\n'));
    assert.ok(titles.every((t) => !/ #\d+$/.test(t)), `told apart by their words, not by a number: ${titles.join(' | ')}`);
  }), { numRuns: 300, seed: 20260412 });
});

test('should two reports still meet (one file open twice under two names), a number tells them apart', () => {
  assert.deepEqual(reportTitles([report('a.playbook.yaml', 'a'), report('a.playbook.yaml', 'a')]), ['Dry-run: a', 'Dry-run: a #2']);
});
