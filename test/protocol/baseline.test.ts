/**
 * The policy's baseline in the editor: what it lists arrives as a hint, a new finding at its own
 * severity; editing the baseline file re-checks open playbooks (wherever the policy puts it); one
 * that cannot be used is said on the policy's `baseline` key; Check Workspace agrees.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { CodeActionRequest, DiagnosticSeverity, FileChangeType, type ClientCapabilities, type CodeAction, type Diagnostic } from 'vscode-languageserver-protocol/node';
import { baselineEntries, formatBaseline } from '../../server/src/core/baseline/baselineFile.js';
import { checkPlaybook } from '../../server/src/core/check.js';
import { checkWorkspaceRequest } from '../../server/src/shared/protocol.js';
import { playbook } from '../unit/helpers/findings.js';
import { withDownloadAndError } from '../cli/playbooks.js';
import { PULL_CAPABILITIES, PUSH_CAPABILITIES, sessionStarter } from './harness.js';

const session = sessionStarter();

/** Adopted with two findings: PB105 (a warning) on `fetch`, PB002 (an error) on `bad`. */
const OLD = withDownloadAndError;
/** Later: a step inserted above them, and a new PB105 on `install`. */
const NOW = playbook(`  - id: triage
    action: diagnose
    query: up
  - id: install
    action: diagnose
    run: wget -qO- https://tools.example.com/setup.sh | bash
  - id: fetch
    action: diagnose
    run: curl -fsSL https://get.example.com/i.sh | sh
  - id: bad
    action: diagnos
`);

/** The baseline file `playbook check --write-baseline` writes for OLD at `playbookPath` (relative to the baseline's folder). */
const baselineOf = (text: string, playbookPath: string): string => formatBaseline(baselineEntries(playbookPath, checkPlaybook(text, { baseline: [] }).findings));
const EMPTY_BASELINE = formatBaseline([]);

const POLICY = 'policy: 1\nbaseline: .playbooks/baseline.json\n';

/** `rule severity step-line` of each diagnostic, sorted. */
const rows = (diagnostics: Diagnostic[]): string[] => diagnostics.map((d) => `${String(d.code)} ${severityName(d.severity)} ${d.range.start.line + 1}`).sort();
const severityName = (s: DiagnosticSeverity | undefined): string => (s === DiagnosticSeverity.Hint ? 'hint' : s === DiagnosticSeverity.Error ? 'error' : s === DiagnosticSeverity.Warning ? 'warning' : String(s));

const MODES: Array<[string, ClientCapabilities]> = [['push', PUSH_CAPABILITIES], ['pull', PULL_CAPABILITIES]];

describe('the baseline in the editor', () => {
  for (const [mode, capabilities] of MODES) {
    test(`${mode}: a baselined finding arrives as a hint that says so, a new one at its own severity`, async () => {
      const s = await session({ capabilities, files: { '.playbooks/policy.yaml': POLICY, '.playbooks/baseline.json': baselineOf(OLD, '../a.playbook.yaml'), 'a.playbook.yaml': NOW } });
      const uri = await s.open('a.playbook.yaml');
      const diagnostics = mode === 'pull' ? await s.pull(uri) : await s.diagnostics(uri, (d) => d.length > 0);
      assert.deepEqual(rows(diagnostics), ['PB002 hint 25', 'PB105 hint 23', 'PB105 warning 20']);
      const hint = diagnostics.find((d) => d.severity === DiagnosticSeverity.Hint && d.code === 'PB105')!;
      assert.match(String(hint.message), /^step 'fetch': 'run' pipes a download straight into a shell.* \(in the baseline\)$/);
      assert.doesNotMatch(String(diagnostics.find((d) => d.severity === DiagnosticSeverity.Warning)!.message), /baseline/);
      // Old debt can still be paid in place: a hint keeps its quick fixes.
      const pb002 = diagnostics.find((d) => d.code === 'PB002')!;
      const actions = (await s.client.sendRequest(CodeActionRequest.type, { textDocument: { uri }, range: pb002.range, context: { diagnostics: [pb002] } })) as CodeAction[];
      assert.ok(actions.some((a) => a.title === "Change 'diagnos' to 'diagnose'"), actions.map((a) => a.title).join(' | '));
    });
  }

  test('editing the baseline file re-checks the open playbook: emptied, its findings are back at their severity; written again, hints', async () => {
    const s = await session({ files: { '.playbooks/policy.yaml': POLICY, '.playbooks/baseline.json': baselineOf(OLD, '../a.playbook.yaml'), 'a.playbook.yaml': NOW } });
    const uri = await s.open('a.playbook.yaml');
    await s.diagnostics(uri, (d) => rows(d).includes('PB002 hint 25'));
    s.writeFile('.playbooks/baseline.json', EMPTY_BASELINE);
    await s.filesChanged([{ uri: s.uri('.playbooks/baseline.json'), type: FileChangeType.Changed }]);
    const emptied = await s.diagnostics(uri, (d) => rows(d).includes('PB002 error 25'));
    assert.deepEqual(rows(emptied), ['PB002 error 25', 'PB105 warning 20', 'PB105 warning 23']);
    s.writeFile('.playbooks/baseline.json', baselineOf(NOW, '../a.playbook.yaml'));
    await s.filesChanged([{ uri: s.uri('.playbooks/baseline.json'), type: FileChangeType.Changed }]);
    const all = await s.diagnostics(uri, (d) => d.length > 0 && d.every((x) => x.severity === DiagnosticSeverity.Hint));
    assert.deepEqual(rows(all), ['PB002 hint 25', 'PB105 hint 20', 'PB105 hint 23']);
  });

  test('a baseline outside .playbooks/ is watched too: the policy names it, so its change re-checks', async () => {
    const s = await session({ files: { '.playbooks/policy.yaml': 'policy: 1\nbaseline: ../playbook-baseline.json\n', 'playbook-baseline.json': EMPTY_BASELINE, 'a.playbook.yaml': OLD } });
    const uri = await s.open('a.playbook.yaml');
    await s.diagnostics(uri, (d) => rows(d).includes('PB002 error 19'));
    s.writeFile('playbook-baseline.json', baselineOf(OLD, 'a.playbook.yaml'));
    await s.filesChanged([{ uri: s.uri('playbook-baseline.json'), type: FileChangeType.Changed }]);
    const hinted = await s.diagnostics(uri, (d) => rows(d).includes('PB002 hint 19'));
    assert.deepEqual(rows(hinted), ['PB002 hint 19', 'PB105 hint 17']);
  });

  test('a baseline that cannot be used is PB110 on the policy\'s `baseline` value, findings keep their severity; once written, hints', async () => {
    const s = await session({ files: { '.playbooks/policy.yaml': POLICY, 'a.playbook.yaml': OLD } });
    const uri = await s.open('a.playbook.yaml');
    assert.deepEqual(rows(await s.diagnostics(uri, (d) => d.length > 0)), ['PB002 error 19', 'PB105 warning 17']);
    const policyUri = s.uri('.playbooks/policy.yaml');
    const onPolicy = await s.diagnostics(policyUri, (d) => d.some((x) => x.code === 'PB110'));
    const pb110 = onPolicy.find((d) => d.code === 'PB110')!;
    assert.equal(pb110.message, 'baseline .playbooks/baseline.json: cannot be read (no such file or directory); until it can be used, every finding counts and shows at its own severity');
    assert.deepEqual(pb110.range, { start: { line: 1, character: 10 }, end: { line: 1, character: 34 } });
    assert.equal(pb110.severity, DiagnosticSeverity.Warning);

    s.writeFile('.playbooks/baseline.json', '{ "version": 1, ');
    await s.filesChanged([{ uri: s.uri('.playbooks/baseline.json'), type: FileChangeType.Created }]);
    await s.diagnostics(policyUri, (d) => d.some((x) => /^baseline \.playbooks\/baseline\.json: is not valid JSON/.test(String(x.message))));

    s.writeFile('.playbooks/baseline.json', baselineOf(OLD, '../a.playbook.yaml'));
    await s.filesChanged([{ uri: s.uri('.playbooks/baseline.json'), type: FileChangeType.Changed }]);
    assert.deepEqual(rows(await s.diagnostics(uri, (d) => rows(d).includes('PB002 hint 19'))), ['PB002 hint 19', 'PB105 hint 17']);
    await s.diagnostics(policyUri, (d) => !d.some((x) => x.code === 'PB110'));
  });

  test('Check Workspace: a closed playbook\'s baselined findings are hints and not counted', async () => {
    const s = await session({ files: { '.playbooks/policy.yaml': POLICY, '.playbooks/baseline.json': baselineOf(OLD, '../a.playbook.yaml'), 'a.playbook.yaml': NOW } });
    const result = await s.client.sendRequest(checkWorkspaceRequest);
    assert.deepEqual([result.files, result.errors, result.warnings], [1, 0, 1]);
    const uri = s.uri('a.playbook.yaml');
    assert.deepEqual(rows(await s.diagnostics(uri, (d) => d.length > 0)), ['PB002 hint 25', 'PB105 hint 23', 'PB105 warning 20']);
  });
});
