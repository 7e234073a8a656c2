/**
 * Who runs incidents from this workspace: asked once (an input box filled in with the git user's
 * name, else the account's), then remembered in the workspace's state. It is the `by` of every
 * event the editor records.
 */
import { execFile } from 'node:child_process';
import * as os from 'node:os';
import * as vscode from 'vscode';

const WHO_KEY = 'playbook.run.who';

export async function whoRuns(state: vscode.Memento): Promise<string | undefined> {
  const known = state.get<unknown>(WHO_KEY);
  if (typeof known === 'string' && known.trim()) return known;
  const value = await vscode.window.showInputBox({
    title: 'Who runs this incident?',
    prompt: 'Your name or handle: the record says who did each step. Asked once for this workspace.',
    value: await likelyName(),
    ignoreFocusOut: true,
    validateInput: (v) => (v.trim() ? undefined : 'Say who runs it, e.g. @alice'),
  });
  const who = value?.trim();
  if (!who) return undefined;
  await state.update(WHO_KEY, who);
  return who;
}

/** The global git user's name (never a workspace's own git settings), else the account's name, else nothing. */
async function likelyName(): Promise<string> {
  const fromGit = await new Promise<string>((resolve) => {
    execFile('git', ['config', '--global', '--get', 'user.name'], { cwd: os.homedir(), timeout: 2000, windowsHide: true }, (error, stdout) => resolve(error ? '' : stdout.trim()));
  });
  if (fromGit) return fromGit;
  try {
    return os.userInfo().username;
  } catch {
    return '';
  }
}
