/** No secret in what the CLI prints or writes: the dry-run in every format and its --out file, and check in every format. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { assertNoSecret, SECRET_PLAYBOOK } from '../unit/helpers/secretPlaybook.js';
import { cli, workspace } from './helpers.js';

const dir = workspace({ 'drill.playbook.yaml': SECRET_PLAYBOOK });

describe('playbook dry-run', () => {
  for (const format of ['text', 'json', 'markdown']) {
    for (const scenario of [[], ['--deny', 'gate']]) {
      test(`--format ${format} ${scenario.join(' ')}`, async () => {
        const r = await cli(['dry-run', 'drill.playbook.yaml', '--format', format, ...scenario], dir);
        // The command is shown, redacted: quoted in the sentence, or (text) on lines of its own.
        assert.match(r.stdout, /would diagnose by running(?: `|:\n +)PGPASSWORD=••• psql/, r.stdout.slice(0, 2000));
        assertNoSecret(r.stdout + r.stderr, `dry-run --format ${format}`);
      });
    }
  }

  test('--out: the report file and the line that says where it went', async () => {
    const r = await cli(['dry-run', 'drill.playbook.yaml', '--format', 'markdown', '--out', 'reports/drill.md'], dir);
    assertNoSecret(r.stdout + r.stderr, 'the --out line');
    assertNoSecret(readFileSync(path.join(dir, 'reports/drill.md'), 'utf8'), 'the report file');
  });

  test('a scenario with an unknown id: the ids listed in the usage message', async () => {
    const r = await cli(['dry-run', 'drill.playbook.yaml', '--fail', 'deploy-token'], dir);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /deploy-token=•••/);
    assertNoSecret(r.stderr, 'the usage message');
  });
});

describe('playbook check', () => {
  for (const format of ['text', 'json', 'sarif']) {
    test(`--format ${format} --show-suppressed`, async () => {
      const r = await cli(['check', 'drill.playbook.yaml', '--format', format, '--show-suppressed'], dir);
      assert.equal(r.code, 1);
      assert.match(r.stdout, /PB104/);
      assertNoSecret(r.stdout + r.stderr, `check --format ${format}`);
    });
  }
});
