/**
 * Opening a playbook activates the extension in a real VS Code, and its language server answers.
 * The readiness check is a root hook: when the server never answers, every suite is skipped at
 * once with that reason, instead of each test waiting out its own timeout.
 */
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { suite, suiteSetup, test } from 'mocha';
import { diagnosticsWhen } from './editor';
import { EXTENSION_ID, openWorkspaceFile } from './workspace';
import { waitFor } from './waitFor';

suiteSetup('the extension is active and its language server answers', async function () {
  this.timeout(90_000);
  const document = await openWorkspaceFile('unguarded-rollback.playbook.yaml');
  await waitFor(() => vscode.extensions.getExtension(EXTENSION_ID), (e) => e?.isActive === true, { what: `${EXTENSION_ID} to be active`, describe: (e) => (e ? `isActive=${e.isActive}` : 'not installed') });
  await diagnosticsWhen(document.uri, (d) => d.length > 0, 'the language server to publish the findings of unguarded-rollback.playbook.yaml (is it running?)', 60_000);
});

suite('activation', () => {
  test('a *.playbook.yaml file opens as an Incident Playbook and activates the extension', async () => {
    const document = await openWorkspaceFile('checkout-outage.playbook.yaml');
    assert.equal(document.languageId, 'incident-playbook');
    assert.equal(vscode.extensions.getExtension(EXTENSION_ID)?.isActive, true);
  });
});
