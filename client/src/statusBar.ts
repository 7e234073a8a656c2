/**
 * A status bar item that says how many advisory records are loaded and from where, or that none
 * are; when they are older than the policy's `advisories-max-age`, a warning that runs Update
 * Advisories.
 */
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { advisoryStatusNotification, type AdvisoryAgeStatus, type AdvisoryStatus } from '../../server/src/shared/protocol';

export class AdvisoryStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('playbook.advisories', vscode.StatusBarAlignment.Right, 100);
  private readonly listeners: vscode.Disposable[];
  private last: AdvisoryStatus = { records: 0, sources: [], problems: 0 };

  constructor(client: LanguageClient) {
    this.item.name = 'Playbook advisories';
    this.item.command = 'playbook.showOutput';
    this.show(this.last);
    this.listeners = [
      client.onNotification(advisoryStatusNotification, (status) => this.show(status)),
      // Update Advisories becomes available: the warning's click runs it from now on.
      vscode.workspace.onDidGrantWorkspaceTrust(() => this.show(this.last)),
    ];
  }

  private show(status: AdvisoryStatus): void {
    this.last = status;
    const stale = status.age?.stale ? status.age : undefined;
    this.item.text = stale
      ? `$(warning) ${staleText(stale)}`
      : status.records > 0 ? `$(shield) ${status.records} advisor${status.records === 1 ? 'y' : 'ies'}` : '$(shield) no advisories';
    // Not in an untrusted workspace: the workspace's policy would choose where to download from and write to.
    const canUpdate = vscode.workspace.isTrusted;
    this.item.command = stale && canUpdate ? 'playbook.updateAdvisories' : 'playbook.showOutput';
    const lines = status.sources.length ? status.sources.map((s) => `- ${s}`) : ['No advisory source found: add OSV records to `.playbooks/advisories` or name them in the policy, or run Playbook: Update Advisories.'];
    if (status.age) lines.push('', ageLine(status.age, canUpdate));
    if (status.problems) lines.push('', `${status.problems} problem${status.problems === 1 ? '' : 's'} in the advisory data (see Problems).`);
    this.item.tooltip = new vscode.MarkdownString(`**Advisory records in use**${stale ? ` (${status.records})` : ''}\n\n${lines.join('\n')}`);
    this.item.backgroundColor = status.problems || stale ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    this.item.show();
  }

  dispose(): void {
    for (const listener of this.listeners) listener.dispose();
    this.item.dispose();
  }
}

/** "advisories are 12 days old — Update Advisories". */
function staleText(age: AdvisoryAgeStatus): string {
  return age.basis === 'future' ? 'advisories are of unknown age — Update Advisories' : `advisories are ${age.text} old — Update Advisories`;
}

function ageLine(age: AdvisoryAgeStatus, canUpdate: boolean): string {
  const update = canUpdate ? 'Click to update.' : 'Update Advisories runs in a trusted workspace.';
  if (age.basis === 'future') return `${age.source} is dated in the future, so how old it is cannot be told. ${update}`;
  const when = age.basis === 'fetched' ? `was fetched ${age.text} ago` : `has its newest record modified ${age.text} ago`;
  return `${age.source} ${when}${age.stale ? `, more than the policy's advisories-max-age (${age.maxAge}). ${update}` : ` (advisories-max-age: ${age.maxAge}).`}`;
}
