/**
 * The policy and the rules from the palette: "Playbook: Show Rules" (the rules in force for the
 * playbook being edited, each opening its page), "Playbook: Open Policy" (creating it, every
 * setting commented at its default, when there is none), and the command rule links run: a rule's
 * page shipped with the extension, as a Markdown preview.
 */
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { policyInfoRequest, type PolicyInfoResult, type RuleRow } from '../../server/src/shared/protocol';

const RULE_ID = /^PB\d{3}$/;

/** Opens `docs/rules/<id>.md` from the extension as a Markdown preview (what rule links in Problems and hovers run). */
export async function showRulePage(extensionUri: vscode.Uri, ruleId: unknown): Promise<void> {
  const id = typeof ruleId === 'string' ? ruleId.toUpperCase() : '';
  if (!RULE_ID.test(id)) {
    void vscode.window.showWarningMessage(`No rule page for ${JSON.stringify(ruleId)}.`);
    return;
  }
  const page = vscode.Uri.joinPath(extensionUri, 'docs', 'rules', `${id}.md`);
  const exists = await vscode.workspace.fs.stat(page).then(() => true, () => false);
  if (!exists) {
    void vscode.window.showWarningMessage(`No rule page for ${id} in this version of the extension.`);
    return;
  }
  await vscode.commands.executeCommand('markdown.showPreview', page);
}

interface RuleItem extends vscode.QuickPickItem {
  id: string;
}

export async function showRules(client: LanguageClient, extensionUri: vscode.Uri): Promise<string | undefined> {
  const info = await policyInfoFor(client);
  if (!info) return undefined;
  const policy = info.file ? vscode.workspace.asRelativePath(info.file) : 'the built-in defaults';
  const items: RuleItem[] = info.rules.map((rule) => ({ id: rule.id, label: `${rule.id} ${rule.name}`, description: severityText(rule), detail: rule.summary }));
  const picked = await vscode.window.showQuickPick(items, { title: `Rules in force (policy: ${policy})`, placeHolder: 'Choose a rule to read its page', matchOnDescription: true, matchOnDetail: true });
  if (picked) await showRulePage(extensionUri, picked.id);
  return picked?.id;
}

export async function openPolicy(client: LanguageClient): Promise<vscode.Uri | undefined> {
  const info = await policyInfoFor(client);
  if (!info) return undefined;
  if (info.file) {
    const uri = vscode.Uri.file(info.file);
    await vscode.window.showTextDocument(uri);
    return uri;
  }
  if (!info.createAt) {
    void vscode.window.showWarningMessage('Open a folder first: the policy lives in its .playbooks/policy.yaml.');
    return undefined;
  }
  const uri = vscode.Uri.file(info.createAt);
  // Written only when absent: a policy the server could not read is not overwritten.
  const exists = await vscode.workspace.fs.stat(uri).then(() => true, () => false);
  if (!exists) await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(info.defaultText));
  await vscode.window.showTextDocument(uri);
  return uri;
}

async function policyInfoFor(client: LanguageClient): Promise<PolicyInfoResult | undefined> {
  const active = vscode.window.activeTextEditor?.document.uri;
  try {
    return await client.sendRequest(policyInfoRequest, active ? { uri: active.toString() } : {});
  } catch (error) {
    void vscode.window.showErrorMessage(error instanceof Error ? error.message : String(error));
    return undefined;
  }
}

function severityText(rule: RuleRow): string {
  return rule.severity === rule.defaultSeverity ? rule.severity : `${rule.severity} (default: ${rule.defaultSeverity})`;
}
