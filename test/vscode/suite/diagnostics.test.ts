/** Each example playbook shows, in the editor, exactly the findings examples/README.md lists for it. */
import assert from 'node:assert/strict';
import { suite, suiteSetup, test } from 'mocha';
import * as vscode from 'vscode';
import { diagnosticsWhen, positionOf, revertAndClose, ruleOf, severityName } from './editor';
import { exampleExpectations, type ExpectedFinding } from './expectations';
import { openWorkspaceFile } from './workspace';

const key = (f: ExpectedFinding): string => `${f.line} ${f.rule} ${f.severity} ${f.flagged}`;

function actual(document: vscode.TextDocument, diagnostics: vscode.Diagnostic[]): string[] {
  return diagnostics
    .map((d) => key({ line: d.range.start.line + 1, rule: ruleOf(d), severity: severityName(d) as ExpectedFinding['severity'], flagged: document.getText(d.range).split('\n')[0]! }))
    .sort();
}

suite('diagnostics of the examples', () => {
  let expected: Map<string, ExpectedFinding[]>;
  suiteSetup(async () => {
    expected = await exampleExpectations();
    assert.equal(expected.size, 6, 'examples/README.md describes the six examples');
  });

  for (const file of ['structure-errors', 'unguarded-rollback', 'break-glass-access', 'vulnerable-rollback'].map((n) => `${n}.playbook.yaml`)) {
    test(`${file}: line, rule, severity and flagged text as examples/README.md lists them`, async () => {
      const document = await openWorkspaceFile(file);
      const wanted = expected.get(file)!.map(key).sort();
      assert.ok(wanted.length > 0);
      const diagnostics = await diagnosticsWhen(document.uri, (d) => JSON.stringify(actual(document, d)) === JSON.stringify(wanted), `the findings of ${file}: ${JSON.stringify(wanted)}`);
      for (const d of diagnostics) {
        assert.equal(d.source, 'playbook');
        const code = d.code as { value: string; target: vscode.Uri };
        // The rule id links to its page shipped with the extension: a command link with the id.
        assert.equal(code.target.scheme, 'command', 'the rule id links to its page');
        assert.deepEqual([code.target.path, JSON.parse(decodeURIComponent(code.target.query))], ['playbook.showRule', [code.value]]);
      }
    });
  }

  test('checkout-outage.playbook.yaml has no findings, and a typo shows up and clears as it is typed and undone', async () => {
    const document = await openWorkspaceFile('checkout-outage.playbook.yaml');
    assert.deepEqual(expected.get('checkout-outage.playbook.yaml'), []);
    const action = positionOf(document, 'action: feature-flag', 'action: '.length);
    const edit = new vscode.WorkspaceEdit();
    edit.insert(document.uri, action, 'x');
    assert.ok(await vscode.workspace.applyEdit(edit));
    const typo = await diagnosticsWhen(document.uri, (d) => d.some((x) => ruleOf(x) === 'PB002' && x.message.includes('xfeature-flag')), 'PB002 for the misspelt action');
    assert.equal(document.getText(typo[0]!.range), 'xfeature-flag');
    const undo = new vscode.WorkspaceEdit();
    undo.delete(document.uri, new vscode.Range(action, action.translate(0, 1)));
    assert.ok(await vscode.workspace.applyEdit(undo));
    await diagnosticsWhen(document.uri, (d) => d.length === 0, 'no findings once the typo is gone');
    await revertAndClose();
  });

  test('PB100 carries the unguarded path and PB101 the advisory file as related locations', async () => {
    const unguarded = await openWorkspaceFile('unguarded-rollback.playbook.yaml');
    const pb100 = (await diagnosticsWhen(unguarded.uri, (d) => d.some((x) => ruleOf(x) === 'PB100'), 'PB100')).find((x) => ruleOf(x) === 'PB100')!;
    assert.match(pb100.relatedInformation![0]!.message, /no security checkpoint on this path/);
    assert.equal(pb100.relatedInformation![0]!.location.uri.toString(), unguarded.uri.toString());

    const vulnerable = await openWorkspaceFile('vulnerable-rollback.playbook.yaml');
    const pb101 = (await diagnosticsWhen(vulnerable.uri, (d) => d.some((x) => ruleOf(x) === 'PB101'), 'PB101')).filter((x) => ruleOf(x) === 'PB101');
    const log4shell = pb101.find((d) => vulnerable.getText(d.range) === '2.14.1')!;
    assert.match(log4shell.message, /GHSA-jfh8-c2jp-5v3q/);
    assert.ok(log4shell.relatedInformation?.some((r) => r.location.uri.path.endsWith('.playbooks/advisories/GHSA-jfh8-c2jp-5v3q.json')), 'links to the advisory record');
  });

  test('an unreachable step is faded (tagged Unnecessary)', async () => {
    const document = await openWorkspaceFile('structure-errors.playbook.yaml');
    const pb006 = (await diagnosticsWhen(document.uri, (d) => d.some((x) => ruleOf(x) === 'PB006'), 'PB006')).find((x) => ruleOf(x) === 'PB006')!;
    assert.deepEqual(pb006.tags, [vscode.DiagnosticTag.Unnecessary]);
  });
});
