import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { cli, workspace } from './helpers.js';
import { withSuppressionAndError as failing } from './playbooks.js';

// The official OASIS schema has a pattern that is not valid as a unicode regexp, hence unicodeRegExp: false.
const schema = JSON.parse(readFileSync(path.join(__dirname, '../fixtures/sarif/sarif-schema-2.1.0.json'), 'utf8'));
const ajv = new Ajv({ strict: false, allErrors: true, unicodeRegExp: false });
addFormats(ajv);
const validateSarif = ajv.compile(schema);


async function sarifOf(files: Record<string, string>, args: string[] = []): Promise<{ code: number; log: any }> {
  const dir = workspace(files);
  const r = await cli(['check', '--format', 'sarif', ...args], dir);
  return { code: r.code, log: JSON.parse(r.stdout) };
}

describe('SARIF output', () => {
  test('is valid SARIF 2.1.0', async () => {
    const { log } = await sarifOf({ 'x.playbook.yaml': failing });
    assert.ok(validateSarif(log), JSON.stringify(validateSarif.errors, null, 2));
  });

  test('the validator rejects a broken log (the check can fail)', () => {
    assert.equal(validateSarif({ version: '2.1.0', runs: [{ tool: { driver: {} }, results: [] }] }), false);
  });

  test('results carry ruleId, level, 1-based region and fingerprints', async () => {
    const { code, log } = await sarifOf({ 'x.playbook.yaml': failing });
    assert.equal(code, 1);
    const run = log.runs[0];
    const result = run.results.find((r: any) => r.ruleId === 'PB002');
    assert.equal(result.level, 'error');
    assert.equal(result.locations[0].physicalLocation.artifactLocation.uri, 'x.playbook.yaml');
    assert.deepEqual(result.locations[0].physicalLocation.region, { startLine: 21, startColumn: 13, endLine: 21, endColumn: 20 });
    assert.match(result.partialFingerprints['playbookFinding/v1'], /^[0-9a-f]{32}:1$/);
    assert.equal(run.tool.driver.rules[result.ruleIndex].id, 'PB002');
    assert.match(run.tool.driver.rules[result.ruleIndex].helpUri, /docs\/rules\/PB002\.md$/);
  });

  test('suppressed findings carry the reason as justification', async () => {
    const { log } = await sarifOf({ 'x.playbook.yaml': failing });
    const suppressed = log.runs[0].results.filter((r: any) => r.suppressions);
    assert.equal(suppressed.length, 1);
    assert.equal(suppressed[0].ruleId, 'PB108');
    assert.deepEqual(suppressed[0].suppressions, [{ kind: 'inSource', status: 'accepted', justification: 'hotfix build, published after this playbook was written' }]);
  });

  test('fingerprints do not move when lines are added above', async () => {
    const before = (await sarifOf({ 'x.playbook.yaml': failing })).log.runs[0].results;
    const after = (await sarifOf({ 'x.playbook.yaml': `# a comment\n# another\n${failing}` })).log.runs[0].results;
    assert.deepEqual(after.map((r: any) => r.partialFingerprints), before.map((r: any) => r.partialFingerprints));
    assert.notDeepEqual(after.map((r: any) => r.locations[0].physicalLocation.region.startLine), before.map((r: any) => r.locations[0].physicalLocation.region.startLine));
  });

  test('the rule catalog reflects the policy: a rule turned off has level none', async () => {
    const { log } = await sarifOf({ 'x.playbook.yaml': failing, '.playbooks/policy.yaml': 'policy: 1\nrules:\n  PB006: off\n' });
    const rule = log.runs[0].tool.driver.rules.find((r: any) => r.id === 'PB006');
    assert.deepEqual(rule.defaultConfiguration, { level: 'none', enabled: false });
    assert.ok(validateSarif(log));
  });

  test('with a baseline, every result says whether it is new; the baselined ones are results too, unchanged', async () => {
    const dir = workspace({ 'x.playbook.yaml': failing, 'y.playbook.yaml': failing });
    assert.equal((await cli(['check', 'x.playbook.yaml', '--write-baseline', 'baseline.json'], dir)).code, 0);
    const r = await cli(['check', '--format', 'sarif', '--baseline', 'baseline.json'], dir);
    assert.equal(r.code, 1, 'y.playbook.yaml\'s error is new');
    assert.ok(validateSarif(JSON.parse(r.stdout)), JSON.stringify(validateSarif.errors, null, 2));
    const log: any = JSON.parse(r.stdout);
    const states = log.runs[0].results.map((x: any) => `${x.locations[0].physicalLocation.artifactLocation.uri} ${x.ruleId} ${x.baselineState}${x.suppressions ? ' suppressed' : ''}`).sort();
    const plain = (await sarifOf({ 'x.playbook.yaml': failing, 'y.playbook.yaml': failing })).log.runs[0].results;
    assert.equal(states.length, plain.length, 'the same results as without a baseline');
    assert.ok(plain.every((x: any) => !('baselineState' in x)), 'no baseline, no baselineState');
    assert.ok(states.some((x: string) => x.startsWith('x.') && x.endsWith(' unchanged')) && states.some((x: string) => x.startsWith('y.') && x.endsWith(' new')), states.join('\n'));
    for (const state of states) {
      if (state.endsWith('suppressed')) assert.match(state, / PB108 new suppressed$/, 'a suppressed finding is not in a baseline');
      else assert.match(state, state.startsWith('x.') ? / unchanged$/ : / new$/, state);
    }
  });

  test('an unreadable input is a tool notification and the run is not successful', async () => {
    const { code, log } = await sarifOf({ 'x.playbook.yaml': failing }, ['x.playbook.yaml', 'nope.playbook.yaml']);
    assert.equal(code, 2);
    const invocation = log.runs[0].invocations[0];
    assert.equal(invocation.executionSuccessful, false);
    assert.match(invocation.toolExecutionNotifications[0].message.text, /nope\.playbook\.yaml: no such file/);
    assert.ok(validateSarif(log));
  });
});
