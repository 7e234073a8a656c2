/** `playbook check` judges `# playbook-ignore … until YYYY-MM-DD` by the real time of the run. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { cli, workspace } from './helpers.js';
import { withDownloadUnder as withSuppression } from './playbooks.js';

describe('playbook check: suppressions with an expiry', () => {
  test('a day long past: the finding is back, and PB109 names the day it expired', async () => {
    const dir = workspace({ 'a.playbook.yaml': withSuppression('# playbook-ignore PB105 until 2001-01-01: the installer is pinned in CHG-1234') });
    const r = await cli(['check', '.'], dir);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^a\.playbook\.yaml:15:3 warning PB109 the suppression of PB105 expired on 2001-01-01, so it is not applied/m);
    assert.match(r.stdout, /^a\.playbook\.yaml:18:\d+ warning PB105 /m);
    assert.match(r.stdout, /^0 errors, 2 warnings, 0 info in 1 playbook$/m);
  });

  test('a day far ahead: suppressed, and --show-suppressed and JSON say until when', async () => {
    const dir = workspace({ 'a.playbook.yaml': withSuppression('# playbook-ignore PB105 until 2999-01-01: the installer is pinned in CHG-1234') });
    const text = await cli(['check', '.', '--show-suppressed'], dir);
    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stdout, /^a\.playbook\.yaml:18:\d+ warning PB105 .* \(suppressed until 2999-01-01: the installer is pinned in CHG-1234\)$/m);
    assert.match(text.stdout, /^no problems in 1 playbook \(1 suppressed\)$/m);
    const json = JSON.parse((await cli(['check', '.', '--format', 'json', '--show-suppressed'], dir)).stdout) as { files: Array<{ suppressed: Array<{ ruleId: string; until?: string; reason: string }> }> };
    assert.deepEqual(json.files[0]!.suppressed.map((s) => [s.ruleId, s.until, s.reason]), [['PB105', '2999-01-01', 'the installer is pinned in CHG-1234']]);
  });

  test('a day that does not exist: PB109 says so and the finding stands', async () => {
    const dir = workspace({ 'a.playbook.yaml': withSuppression('# playbook-ignore PB105 until 2999-02-30: the installer is pinned in CHG-1234') });
    const r = await cli(['check', '.'], dir);
    assert.match(r.stdout, /PB109 '2999-02-30' is not a date, so this suppression of PB105 is not applied/);
    assert.match(r.stdout, /warning PB105 /);
  });
});
