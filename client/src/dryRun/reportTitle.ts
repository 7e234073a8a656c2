/**
 * The titles of the open dry-run reports, so no two tabs read alike: `Dry-run: <playbook id>`, the
 * scenario when something fails or is denied ("Dry-run: checkout-outage (security-review denied)"),
 * and the file when two open reports are of different playbooks with one id. Pure, so it is tested
 * without an editor; the panel sets the titles again whenever a report opens or closes.
 */

export interface ReportKey {
  /** The playbook as the user knows it (workspace-relative). */
  file: string;
  /** The playbook's `playbook` id, when it has one. */
  id: string | null;
  fail: readonly string[];
  deny: readonly string[];
  advisoriesAsOf?: string | null;
}

/** One title per report, in the same order; reports that differ in file or scenario get different titles. */
export function reportTitles(reports: readonly ReportKey[]): string[] {
  const name = (r: ReportKey): string => r.id ?? r.file;
  const titles = reports.map((report) => {
    const namesake = reports.filter((other) => name(other) === name(report));
    const where = namesake.some((other) => other.file !== report.file) ? ` — ${shortestDistinct(report.file, namesake.map((o) => o.file))}` : '';
    const scenario = scenarioWords(report);
    return `Dry-run: ${name(report)}${where}${scenario ? ` (${scenario})` : ''}`;
  });
  // The same playbook and scenario twice is one report the panel reuses; should two still meet, a number tells them apart.
  const seen = new Map<string, number>();
  return titles.map((title) => {
    const n = (seen.get(title) ?? 0) + 1;
    seen.set(title, n);
    return n === 1 ? title : `${title} #${n}`;
  });
}

/** Whether two reports are of the same playbook file under the same scenario (the panel shows it again rather than open another). */
export function sameReport(a: ReportKey, b: ReportKey): boolean {
  return a.file === b.file && sameIds(a.fail, b.fail) && sameIds(a.deny, b.deny) && (a.advisoriesAsOf ?? null) === (b.advisoriesAsOf ?? null);
}

/** "roll-back fails; security-review denied", in the words the reports use for a checkpoint's outcome. */
function scenarioWords({ fail, deny, advisoriesAsOf }: ReportKey): string {
  return [
    fail.length ? `${fail.join(', ')} ${fail.length === 1 ? 'fails' : 'fail'}` : '',
    deny.length ? `${deny.join(', ')} denied` : '',
    advisoriesAsOf ? `advisories as of ${advisoriesAsOf}` : '',
  ].filter(Boolean).join('; ');
}

/** The file's name when no other file of the group has it, else its whole path. */
function shortestDistinct(file: string, files: readonly string[]): string {
  const base = (f: string): string => f.slice(f.lastIndexOf('/') + 1);
  return files.some((other) => other !== file && base(other) === base(file)) ? file : base(file);
}

function sameIds(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && [...a].sort().every((id, i) => id === [...b].sort()[i]);
}
