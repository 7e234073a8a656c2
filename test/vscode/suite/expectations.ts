/**
 * What each example should report, read from examples/README.md (the workspace holds a copy):
 * each table row is a finding, "Findings: none." means none. Parsed as test/cli/examples.test.ts does.
 */
import { readText, workspaceUri } from './workspace';

export interface ExpectedFinding {
  line: number;
  rule: string;
  severity: 'error' | 'warning' | 'info';
  flagged: string;
}

export async function exampleExpectations(): Promise<Map<string, ExpectedFinding[]>> {
  const readme = await readText(workspaceUri('README.md'));
  const byFile = new Map<string, ExpectedFinding[]>();
  for (const section of readme.split(/^## /m).slice(1)) {
    const file = /^(\S+\.playbook\.ya?ml)/.exec(section)?.[1];
    if (!file) continue;
    const rows = [...section.matchAll(/^\| (\d+) \| (PB\d{3}) \| (\w+) \| `((?:[^`\\]|\\.)+)`/gm)].map((m) => ({
      line: Number(m[1]), rule: m[2]!, severity: m[3] as ExpectedFinding['severity'], flagged: m[4]!.replace(/\\\|/g, '|'),
    }));
    if (rows.length === 0 && !/\*\*Findings: none\.\*\*/.test(section)) throw new Error(`examples/README.md: ${file} has neither a table nor "Findings: none."`);
    byFile.set(file, rows);
  }
  return byFile;
}
