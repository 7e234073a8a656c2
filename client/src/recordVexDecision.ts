/**
 * "Record security's decision (VEX)…": the PB101 code action's command. It asks for the status
 * and, for `not_affected`, one of OpenVEX's justifications or an impact statement (for `affected`,
 * what to do), and who decides; the server adds the statement to the policy's VEX folder and checks
 * the playbooks again, so the finding goes once the decision is saved. Only in a trusted workspace:
 * the decision changes what the checks report for everyone.
 *
 * `answers` skips the questions (tests and automation pass them; people are asked).
 */
import { execFile } from 'node:child_process';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { recordVexDecisionRequest, type RecordVexDecisionParams, type RecordVexDecisionResult, type VexDecisionSubject } from '../../server/src/shared/protocol';

type Answers = Omit<RecordVexDecisionParams, keyof VexDecisionSubject>;

const STATUSES: Array<vscode.QuickPickItem & { status: Answers['status'] }> = [
  { label: 'not_affected', description: 'the advisory does not affect this release', status: 'not_affected' },
  { label: 'affected', description: 'it does: say what to do about it', status: 'affected' },
  { label: 'fixed', description: 'this release contains the fix', status: 'fixed' },
  { label: 'under_investigation', description: 'security is looking into it (the finding stays)', status: 'under_investigation' },
];

/** OpenVEX 0.2.0's justifications for `not_affected`, in the spec's order. */
const JUSTIFICATIONS: Array<vscode.QuickPickItem & { justification?: string }> = [
  { label: 'component_not_present', description: 'the vulnerable component is not in the release', justification: 'component_not_present' },
  { label: 'vulnerable_code_not_present', description: 'the component is, the vulnerable code is not', justification: 'vulnerable_code_not_present' },
  { label: 'vulnerable_code_not_in_execute_path', description: 'the vulnerable code never runs', justification: 'vulnerable_code_not_in_execute_path' },
  { label: 'vulnerable_code_cannot_be_controlled_by_adversary', description: 'it runs, but no attacker can reach it', justification: 'vulnerable_code_cannot_be_controlled_by_adversary' },
  { label: 'inline_mitigations_already_exist', description: 'a mitigation in the release stops it', justification: 'inline_mitigations_already_exist' },
  { label: 'Write an impact statement instead', description: 'why it does not affect the release, in words' },
];

export async function recordVexDecision(client: LanguageClient, subject: VexDecisionSubject, answers?: Answers): Promise<RecordVexDecisionResult | undefined> {
  if (!vscode.workspace.isTrusted) {
    void vscode.window.showWarningMessage('Recording a security decision works only in a trusted workspace: it changes what the checks report for everyone.');
    return undefined;
  }
  const given = answers ?? (await ask(subject));
  if (!given) return undefined;
  const result = await client.sendRequest(recordVexDecisionRequest, { ...subject, ...given }).catch(() => undefined);
  if (!result) return undefined;
  if ('problem' in result) {
    void vscode.window.showErrorMessage(`The decision was not recorded: ${result.problem}`);
    return result;
  }
  if (!answers) {
    const shown = vscode.workspace.asRelativePath(result.file);
    void vscode.window.showInformationMessage(`Recorded security's decision on ${subject.vulnerability} in ${shown}.`, 'Open').then((choice) => {
      if (choice === 'Open') void vscode.window.showTextDocument(vscode.Uri.file(result.file));
    });
  }
  return result;
}

async function ask(subject: VexDecisionSubject): Promise<Answers | undefined> {
  const what = `${subject.vulnerability}${subject.componentName ? ` on ${subject.componentName}` : ''}`;
  const status = await vscode.window.showQuickPick(STATUSES, { title: `Security's decision on ${what}`, placeHolder: 'Status (OpenVEX)' });
  if (!status) return undefined;
  const out: Partial<Answers> = { status: status.status };
  if (status.status === 'not_affected') {
    const justification = await vscode.window.showQuickPick(JUSTIFICATIONS, { title: `Why ${what} does not affect this release`, placeHolder: 'Justification (OpenVEX)' });
    if (!justification) return undefined;
    if (justification.justification) out.justification = justification.justification;
    const impact = await vscode.window.showInputBox({
      title: 'Impact statement',
      prompt: justification.justification ? 'Optional: say why, for the next reader' : 'Why the vulnerability does not affect this release',
      validateInput: (value) => (!justification.justification && !value.trim() ? 'An impact statement is needed without a justification' : undefined),
    });
    if (impact === undefined) return undefined;
    if (impact.trim()) out.impactStatement = impact.trim();
  } else if (status.status === 'affected') {
    const action = await vscode.window.showInputBox({ title: 'Action statement', prompt: 'What to do about it (upgrade, mitigate, do not roll back to this release)', validateInput: (v) => (v.trim() ? undefined : 'Say what to do') });
    if (action === undefined) return undefined;
    out.actionStatement = action.trim();
  }
  const author = await vscode.window.showInputBox({ title: 'Who decides', prompt: 'The author recorded with the decision', value: await defaultAuthor(), validateInput: (v) => (v.trim() ? undefined : 'Name who decides') });
  if (author === undefined) return undefined;
  return { ...out, author: author.trim() } as Answers;
}

/** `Name <email>` from git, as commits record people; else the user's login. */
function defaultAuthor(): Promise<string> {
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  const git = (key: string): Promise<string> => new Promise((resolve) => execFile('git', ['config', key], { cwd: folder ?? path.resolve('.'), timeout: 2000 }, (error, stdout) => resolve(error ? '' : stdout.trim())));
  return Promise.all([git('user.name'), git('user.email')]).then(([name, email]) => (name ? `${name}${email ? ` <${email}>` : ''}` : os.userInfo().username));
}
