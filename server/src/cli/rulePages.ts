/**
 * The rule pages (docs/rules/PBxxx.md) by rule id, for `playbook rules PB101`. The build replaces
 * this module with one that holds the pages' text (scripts/build.mjs), so the bundled CLI shows
 * them wherever it is installed, with no docs folder beside it; run from the sources (tests), the
 * pages are read from the repository.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';

export function rulePage(ruleId: string): string | undefined {
  if (!/^PB\d{3}$/.test(ruleId)) return undefined;
  try {
    return readFileSync(path.join(__dirname, '../../../docs/rules', `${ruleId}.md`), 'utf8');
  } catch {
    return undefined;
  }
}
