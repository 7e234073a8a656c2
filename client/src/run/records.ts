/**
 * The run records of the workspace (`.playbooks/runs/*.jsonl`), for Resume Run and Open Run Report:
 * each named by its playbook, when it started and by whom, and whether it ended. Only the first and
 * last lines are read here, for the list; the server verifies a record's chain before resuming it.
 */
import * as vscode from 'vscode';

interface RecordItem extends vscode.QuickPickItem {
  uri: vscode.Uri;
  startedAt: string;
}

const RECORDS = '**/.playbooks/runs/*.jsonl';

/** Lets the user pick a record: `unfinished` only those whose run has not ended (Resume); newest first. */
export async function pickRecord(unfinished: boolean, title: string): Promise<vscode.Uri | undefined> {
  const files = await vscode.workspace.findFiles(RECORDS, undefined, 1000);
  const items = (await Promise.all(files.map(describeRecord))).filter((i): i is RecordItem & { ended: boolean } => i !== undefined && (!unfinished || !i.ended));
  if (!items.length) {
    void vscode.window.showInformationMessage(unfinished ? 'No unfinished run in this workspace: every record under .playbooks/runs/ has ended.' : 'No run has been recorded in this workspace (.playbooks/runs/).');
    return undefined;
  }
  items.sort((a, b) => b.startedAt.localeCompare(a.startedAt));
  return (await vscode.window.showQuickPick(items, { title, placeHolder: 'Which run?', matchOnDescription: true, matchOnDetail: true }))?.uri;
}

async function describeRecord(uri: vscode.Uri): Promise<(RecordItem & { ended: boolean }) | undefined> {
  let lines: string[];
  try {
    lines = new TextDecoder().decode(await vscode.workspace.fs.readFile(uri)).trimEnd().split('\n');
  } catch {
    return undefined;
  }
  const first = parse(lines[0]);
  const last = parse(lines[lines.length - 1]);
  const playbook = (first?.['playbook'] as { id?: unknown } | undefined)?.id;
  const startedAt = typeof first?.['at'] === 'string' ? first['at'] : '';
  const ended = last?.['type'] === 'run-ended';
  const state = ended ? `ended ${String(last['outcome'])}` : `unfinished: last ${String(last?.['type'] ?? 'line unreadable')}${typeof last?.['step'] === 'string' ? ` (${last['step']})` : ''}`;
  return {
    uri,
    startedAt,
    ended,
    label: `${ended ? '$(pass)' : '$(debug-pause)'} ${typeof playbook === 'string' ? playbook : 'a run'}`,
    description: `${startedAt ? new Date(startedAt).toLocaleString() : 'start unknown'}${typeof first?.['by'] === 'string' ? ` by ${first['by']}` : ''}`,
    detail: `${state} · ${vscode.workspace.asRelativePath(uri)}`,
  };
}

function parse(line: string | undefined): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(line ?? '');
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
