/**
 * "Playbook: New Playbook…": pick a template (each one checks clean: security checkpoint before
 * the risky change, security told after it, a postmortem at the end), name the playbook, and it is
 * written next to the playbook being edited (or at the workspace root) and opened.
 */
import * as vscode from 'vscode';

interface Template extends vscode.QuickPickItem {
  /** The file under templates/ in the extension. */
  file: string;
  /** The template's own `playbook:` id, replaced by the one chosen. */
  id: string;
}

const TEMPLATES: readonly Template[] = [
  { label: 'Rollback', file: 'rollback.playbook.yaml', id: 'api-rollback', detail: 'Roll a service back: the target release is scanned for advisories first, and security is told after.' },
  { label: 'Failover', file: 'failover.playbook.yaml', id: 'db-failover', detail: 'Fail a database over to its replica: security reviews the target, and is told after.' },
  { label: 'Break-glass access', file: 'break-glass-access.playbook.yaml', id: 'db-break-glass', detail: 'Time-boxed elevated access, approved by security and revoked on every way out.' },
  { label: 'Secret rotation', file: 'secret-rotation.playbook.yaml', id: 'leaked-api-key', detail: 'Rotate a leaked secret: security approves, the secret is rotated, security is told.' },
];

/** The schema's pattern for `playbook:` (kebab-case). */
const ID = /^[a-z0-9]+(-[a-z0-9]+)*$/;

/** `template` (a file name) and `id` skip the prompts (tests, and other extensions). */
export async function newPlaybook(extensionUri: vscode.Uri, template?: string, id?: string): Promise<vscode.Uri | undefined> {
  const picked = template ? TEMPLATES.find((t) => t.file === template) : await vscode.window.showQuickPick(TEMPLATES, { title: 'New Playbook: choose a template', matchOnDetail: true });
  if (!picked) return undefined;
  const folder = targetFolder();
  if (!folder) {
    // No folder to write to: the playbook opens unsaved, and is checked as it is typed.
    const document = await vscode.workspace.openTextDocument({ language: 'incident-playbook', content: await templateText(extensionUri, picked, picked.id) });
    await vscode.window.showTextDocument(document);
    return document.uri;
  }
  const name = id ?? (await vscode.window.showInputBox({
    title: `New Playbook (${picked.label})`,
    prompt: `The playbook's id; the file is ${vscode.workspace.asRelativePath(folder)}/<id>.playbook.yaml`,
    value: picked.id,
    validateInput: async (value) => problemWithId(folder, value),
  }));
  if (name === undefined) return undefined;
  const problem = await problemWithId(folder, name);
  if (problem) {
    void vscode.window.showErrorMessage(`New Playbook: ${problem}`);
    return undefined;
  }
  const target = vscode.Uri.joinPath(folder, `${name}.playbook.yaml`);
  await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(await templateText(extensionUri, picked, name)));
  await vscode.window.showTextDocument(target);
  return target;
}

async function templateText(extensionUri: vscode.Uri, template: Template, id: string): Promise<string> {
  const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(vscode.Uri.joinPath(extensionUri, 'templates', template.file)));
  // The id appears as `playbook:` and in the messages that name the playbook.
  return text.replace(new RegExp(`(?<![\\w-])${template.id}(?![\\w-])`, 'g'), id);
}

/** Beside the playbook being edited (not beside any other file, such as the policy), else the first workspace folder. */
function targetFolder(): vscode.Uri | undefined {
  const document = vscode.window.activeTextEditor?.document;
  const active = document?.languageId === 'incident-playbook' ? document.uri : undefined;
  if (active?.scheme === 'file' && vscode.workspace.getWorkspaceFolder(active)) return vscode.Uri.joinPath(active, '..');
  return vscode.workspace.workspaceFolders?.[0]?.uri;
}

async function problemWithId(folder: vscode.Uri, id: string): Promise<string | undefined> {
  if (!ID.test(id)) return 'use kebab-case: lower-case letters and digits joined by dashes (e.g. db-failover)';
  const exists = await vscode.workspace.fs.stat(vscode.Uri.joinPath(folder, `${id}.playbook.yaml`)).then(() => true, () => false);
  return exists ? `${id}.playbook.yaml already exists there; choose another id` : undefined;
}
