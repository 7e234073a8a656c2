/** A status bar item that says how many advisory records are loaded and from where, or that none are. */
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { advisoryStatusNotification, type AdvisoryStatus } from '../../server/src/shared/protocol';

export class AdvisoryStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('playbook.advisories', vscode.StatusBarAlignment.Right, 100);
  private readonly listener: vscode.Disposable;

  constructor(client: LanguageClient) {
    this.item.name = 'Playbook advisories';
    this.item.command = 'playbook.showOutput';
    this.show({ records: 0, sources: [], problems: 0 });
    this.listener = client.onNotification(advisoryStatusNotification, (status) => this.show(status));
  }

  private show(status: AdvisoryStatus): void {
    this.item.text = status.records > 0 ? `$(shield) ${status.records} advisor${status.records === 1 ? 'y' : 'ies'}` : '$(shield) no advisories';
    const lines = status.sources.length ? status.sources.map((s) => `- ${s}`) : ['No advisory source found: add OSV records to `.playbooks/advisories` or name them in the policy.'];
    if (status.problems) lines.push('', `${status.problems} problem${status.problems === 1 ? '' : 's'} in the advisory data (see Problems).`);
    this.item.tooltip = new vscode.MarkdownString(`**Advisory records in use**\n\n${lines.join('\n')}`);
    this.item.backgroundColor = status.problems ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    this.item.show();
  }

  dispose(): void {
    this.listener.dispose();
    this.item.dispose();
  }
}
