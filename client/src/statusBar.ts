/**
 * A status bar item that says how many advisory records are loaded, or that none are; when they
 * are older than the policy's `advisories-max-age`, a warning. Clicking it shows what the checks
 * use (policies, advisory sources and their age, SBOMs, VEX) in a quick pick, each entry a way to
 * act on it: open the policy, update the advisories, show the log.
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
    this.item.command = SHOW_STATUS_COMMAND;
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
    // A screen reader hears words, not the icon's name.
    this.item.accessibilityInformation = { role: 'button', label: `${stale ? staleText(stale).replace(' — ', ': ') : `${status.records} advisory records loaded`}. Press to see what the playbook checks use.` };
    const tooltip = new vscode.MarkdownString(`**Advisory records in use**${stale ? ` (${status.records})` : ''}\n\n`);
    // Each source as the policy names it, as text: a folder name is not Markdown of ours.
    for (const source of status.sources) tooltip.appendMarkdown('- ').appendText(source).appendMarkdown('\n');
    if (!status.sources.length) tooltip.appendMarkdown('No advisory source found: add OSV records to `.playbooks/advisories` or name them in the policy, or run Playbook: Update Advisories.\n');
    // The line names a source too; it holds no markup of its own.
    if (status.age) tooltip.appendMarkdown('\n').appendText(ageLine(status.age, canUpdate, 'Click for the details and Update Advisories.')).appendMarkdown('\n');
    if (status.problems) tooltip.appendMarkdown(`\n${status.problems} problem${status.problems === 1 ? '' : 's'} in the advisory data (see Problems).\n`);
    this.item.tooltip = tooltip;
    this.item.backgroundColor = status.problems || stale ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    this.item.show();
  }

  /** The quick pick behind the status bar: what the checks use, each entry with what can be done about it. */
  async showDetails(): Promise<void> {
    const status = this.last;
    const canUpdate = vscode.workspace.isTrusted;
    const items: StatusItem[] = [];
    const section = (label: string): void => void items.push({ label, kind: vscode.QuickPickItemKind.Separator });
    section('Policy');
    for (const file of status.policies?.files ?? []) items.push({ label: `$(law) ${file}`, description: 'open', run: () => vscode.commands.executeCommand('playbook.openPolicy') });
    if (status.policies?.defaults || !status.policies?.files.length) items.push({ label: '$(law) built-in defaults', description: 'no .playbooks/policy.yaml: create one', run: () => vscode.commands.executeCommand('playbook.openPolicy') });
    items.push({ label: '$(list-unordered) Rules in force', run: () => vscode.commands.executeCommand('playbook.showRules') });
    section('Advisories');
    if (!status.sources.length) items.push({ label: '$(shield) no advisory source found', detail: 'Add OSV records to .playbooks/advisories or name them in the policy, or update from OSV.' });
    for (const source of status.sources) items.push({ label: `$(shield) ${source}` });
    if (status.age) items.push({ label: `$(${status.age.stale ? 'warning' : 'history'}) ${ageLine(status.age, canUpdate, '')}` });
    if (status.problems) items.push({ label: `$(warning) ${status.problems} problem${status.problems === 1 ? '' : 's'} in the advisory data`, description: 'show in Problems', run: () => vscode.commands.executeCommand('workbench.actions.view.problems') });
    if (canUpdate) items.push({ label: '$(cloud-download) Update Advisories', description: 'download OSV exports for the services in the workspace', run: () => vscode.commands.executeCommand('playbook.updateAdvisories') });
    section('Releases');
    const sboms = status.sboms;
    items.push({
      label: `$(package) ${sboms?.files ?? 0} SBOM${sboms?.files === 1 ? '' : 's'} in the policy's folders${sboms?.unreadable ? `, ${sboms.unreadable} unreadable` : ''}`,
      detail: `${sboms?.folders.length ? `${sboms.folders.join(', ')}; ` : ''}the SBOMs a playbook names (sbom:) are read when it is checked`,
    });
    const vex = status.vex;
    items.push({ label: `$(verified) ${vex?.documents ?? 0} VEX document${vex?.documents === 1 ? '' : 's'}, ${vex?.statements ?? 0} statement${vex?.statements === 1 ? '' : 's'}`, detail: vex?.folders.length ? `in ${vex.folders.join(', ')}` : undefined });
    section('');
    items.push({ label: '$(output) Show Log', run: () => vscode.commands.executeCommand('playbook.showOutput') });
    const picked = await vscode.window.showQuickPick(items, { title: 'What the playbook checks use', placeHolder: 'Choose an entry to act on it' });
    await picked?.run?.();
  }

  dispose(): void {
    for (const listener of this.listeners) listener.dispose();
    this.item.dispose();
  }
}

interface StatusItem extends vscode.QuickPickItem {
  run?: () => Thenable<unknown>;
}

/** The command the status bar item runs: StatusBar.showDetails. */
export const SHOW_STATUS_COMMAND = 'playbook.showStatus';

/** "advisories are 12 days old — Update Advisories". */
function staleText(age: AdvisoryAgeStatus): string {
  return age.basis === 'future' ? 'advisories are of unknown age — Update Advisories' : `advisories are ${age.text} old — Update Advisories`;
}

function ageLine(age: AdvisoryAgeStatus, canUpdate: boolean, howToUpdate: string): string {
  const update = canUpdate ? howToUpdate : 'Update Advisories runs in a trusted workspace.';
  if (age.basis === 'future') return `${age.source} is dated in the future, so how old it is cannot be told. ${update}`;
  const when = age.basis === 'fetched' ? `was fetched ${age.text} ago` : `has its newest record modified ${age.text} ago`;
  return `${age.source} ${when}${age.stale ? `, more than the policy's advisories-max-age (${age.maxAge}). ${update}`.trimEnd() : ` (advisories-max-age: ${age.maxAge}).`}`;
}
