/** Where the suite finds things: the workspace VS Code opened (a copy of examples/) and this repository. */
import * as vscode from 'vscode';

export const EXTENSION_ID = 'incident-playbook.incident-playbook';

function workspaceRoot(): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new Error('the editor tests need a workspace folder (a copy of examples/)');
  return folder.uri;
}

export function workspaceUri(relative: string): vscode.Uri {
  return vscode.Uri.joinPath(workspaceRoot(), ...relative.split('/'));
}

/** The repository: the extension under development is loaded from its root. */
export function repoUri(relative: string): vscode.Uri {
  const extension = vscode.extensions.getExtension(EXTENSION_ID);
  if (!extension) throw new Error(`${EXTENSION_ID} is not loaded`);
  return vscode.Uri.joinPath(extension.extensionUri, ...relative.split('/'));
}

export async function readText(uri: vscode.Uri): Promise<string> {
  return new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
}

export async function writeText(uri: vscode.Uri, text: string): Promise<void> {
  await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(text));
}

/** Opens a workspace file in an editor, as a user would. */
export async function openWorkspaceFile(relative: string): Promise<vscode.TextDocument> {
  const document = await vscode.workspace.openTextDocument(workspaceUri(relative));
  await vscode.window.showTextDocument(document);
  return document;
}
