/** Opening a playbook activates the extension in a real VS Code. */
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { suite, test } from 'mocha';
import { EXTENSION_ID, openWorkspaceFile } from './workspace';
import { waitFor } from './waitFor';

suite('activation', () => {
  test('opening an example playbook activates the extension', async () => {
    const document = await openWorkspaceFile('checkout-outage.playbook.yaml');
    assert.equal(document.languageId, 'incident-playbook');
    const extension = await waitFor(() => vscode.extensions.getExtension(EXTENSION_ID), (e) => e?.isActive === true, { what: `${EXTENSION_ID} to be active`, describe: (e) => (e ? `isActive=${e.isActive}` : 'not installed') });
    assert.ok(extension?.isActive);
  });
});
