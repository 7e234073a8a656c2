/**
 * `playbook check --write-baseline FILE`: every current finding of the playbooks checked (after
 * suppressions and VEX) goes into FILE, written atomically, and one line says what was written.
 * Findings on policy files are not baselined: the policy is one file its owners fix.
 */
import { baselineEntries, type BaselineEntry } from '../core/index.js';
import { pathInBaseline, writeBaselineFile } from '../node/baselineFile.js';
import type { CheckedFile } from '../node/checkFile.js';
import { describeFsError } from '../node/readFile.js';
import type { CliIO } from './io.js';
import { shownPath } from './report.js';

export class BaselineWriter {
  private readonly entries: BaselineEntry[] = [];
  private playbooks = 0;
  private playbooksWithFindings = 0;
  private findings = 0;
  private policyFindings = 0;

  constructor(private readonly file: string, private readonly io: CliIO) {}

  add(check: CheckedFile): void {
    const entries = baselineEntries(pathInBaseline(this.file, check.file), check.findings);
    this.playbooks++;
    if (entries.length) this.playbooksWithFindings++;
    for (const entry of entries) {
      this.entries.push(entry);
      this.findings += entry.count;
    }
  }

  addPolicyFindings(count: number): void {
    this.policyFindings += count;
  }

  /** Writes the file and says so; false (and one line on stderr) when it could not be written, or there was nothing to check. */
  finish(): boolean {
    if (this.playbooks === 0) return false;
    const shown = shownPath(this.file, this.io.cwd);
    try {
      writeBaselineFile(this.file, this.entries);
    } catch (e) {
      this.io.stderr(`playbook: the baseline ${shown} cannot be written (${describeFsError(e)})\n`);
      return false;
    }
    const policies = this.policyFindings ? `; the ${plural(this.policyFindings, 'finding')} on policy files ${this.policyFindings === 1 ? 'is' : 'are'} not baselined: fix ${this.policyFindings === 1 ? 'it' : 'them'} in the policy` : '';
    this.io.stdout(`wrote the baseline ${shown}: ${plural(this.findings, 'finding')} in ${this.playbooksWithFindings} of ${plural(this.playbooks, 'playbook')}${policies}\n`);
    return true;
  }
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
