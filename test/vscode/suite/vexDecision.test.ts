/**
 * Releases through their SBOMs in the real editor (the sbom-rollback example): hover on a version
 * lists what its image contains and what security decided, and "Record security's decision
 * (VEX)…" on the PB101 finding writes an OpenVEX statement that removes the finding once saved.
 */
import assert from 'node:assert/strict';
import { suite, suiteTeardown, test } from 'mocha';
import * as vscode from 'vscode';
import { diagnosticsWhen, positionOf, revertAndClose, ruleOf } from './editor';
import { waitFor } from './waitFor';
import { openWorkspaceFile, readText, workspaceUri } from './workspace';

const FILE = 'sbom-rollback.playbook.yaml';
const DECISIONS = '.playbooks/vex/decisions.openvex.json';

function hoverText(hovers: vscode.Hover[] | undefined): string {
  return (hovers ?? []).flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
}

suite('releases through their SBOMs, and security\'s decisions', () => {
  suiteTeardown(async () => {
    await vscode.workspace.fs.delete(workspaceUri(DECISIONS)).then(undefined, () => undefined);
    await revertAndClose();
  });

  test('hover on the rollback target lists the component that brings the advisory back; hover on 2.3.1 shows security\'s decision', async () => {
    const doc = await openWorkspaceFile(FILE);
    await diagnosticsWhen(doc.uri, (d) => d.some((x) => ruleOf(x) === 'PB101'), 'PB101 on the rollback');
    const target = hoverText(await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, positionOf(doc, 'to: 2.3.0', 5)));
    assert.match(target, /GHSA-jfh8-c2jp-5v3q.* on log4j-core 2\.14\.1, CRITICAL/);
    assert.match(target, /Its SBOM, `sboms\/checkout\/2\.3\.0\.cdx\.json`, lists 6 components\./);
    // The SBOMs of releases no step targets are read just after the first diagnostics: until then the hover says so.
    const decided = await waitFor(
      async () => hoverText(await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, positionOf(doc, 'version: 2.3.1', 10))),
      (text) => !/still being read/.test(text),
      { what: 'the 2.3.1 SBOM read', describe: (text) => text ?? '' },
    );
    assert.match(decided, /No known advisory affects it\./);
    assert.match(decided, /Decided by security \(VEX\):[\s\S]*GHSA-jjjh-jjxp-wpff\*\* on jackson-databind 2\.13\.2: `not_affected`/);
  });

  test('"Record security\'s decision (VEX)…" is offered on the finding, and the finding goes once the statement is saved', async function () {
    this.timeout(60_000);
    const doc = await openWorkspaceFile(FILE);
    const [finding] = (await diagnosticsWhen(doc.uri, (d) => d.some((x) => ruleOf(x) === 'PB101'), 'PB101 on the rollback')).filter((x) => ruleOf(x) === 'PB101');
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', doc.uri, finding!.range, vscode.CodeActionKind.QuickFix.value);
    const record = actions.find((a) => a.title === 'Record security\'s decision on GHSA-jfh8-c2jp-5v3q on log4j-core 2.14.1 (VEX)…');
    assert.ok(record?.command, actions.map((a) => a.title).join('\n'));
    assert.equal(record.command.command, 'playbook.recordVexDecision');
    // The questions answered as a person would in the quick picks.
    const answers = { status: 'not_affected', justification: 'vulnerable_code_not_in_execute_path', impactStatement: 'JNDI lookups are disabled in the image (log4j2.formatMsgNoLookups=true).', author: 'Dana Security <dana@acme.example>' };
    const result = await vscode.commands.executeCommand<{ file?: string; problem?: string }>(record.command.command, ...(record.command.arguments ?? []), answers);
    assert.ok(result?.file, JSON.stringify(result));
    const written = JSON.parse(await readText(workspaceUri(DECISIONS))) as { statements: Array<{ vulnerability: { name: string }; status: string; products: Array<{ '@id': string; subcomponents?: Array<{ '@id': string }> }> }> };
    assert.deepEqual(written.statements.map((s) => [s.vulnerability.name, s.status, s.products[0]?.subcomponents?.[0]?.['@id']]), [['GHSA-jfh8-c2jp-5v3q', 'not_affected', 'pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1']]);
    await diagnosticsWhen(doc.uri, (d) => !d.some((x) => ruleOf(x) === 'PB101'), 'no PB101 once security decided');
  });
});
