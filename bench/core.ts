/**
 * Core cost against the YAML parse floor on generated playbooks: the rules (everything after the
 * parse) must cost well under the parse itself. Prints a table and writes bench-results/core.json.
 * The clean playbooks are the target; the branching ones are the path rules' worst case (every
 * change flagged, each with more than 1,000 paths counted and three listed), shown for comparison.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { parseDocument } from 'yaml';
import { checkParsed } from '../server/src/core/check.js';
import { parsePlaybook } from '../server/src/core/parse/parsePlaybook.js';
import { generateBranchingPlaybook, generatePlaybook } from './generate.js';
import { timeSync as time } from './stats.js';


const rows = [];
for (const [playbook, steps] of [['clean', 100], ['clean', 1000], ['clean', 5000], ['branching', 1000], ['branching', 5000]] as const) {
  const text = playbook === 'clean' ? generatePlaybook(steps) : generateBranchingPlaybook(steps);
  const runs = steps >= 5000 ? 9 : 21;
  checkParsed(parsePlaybook(text)); // warm-up: compiles the validators once
  const parseFloor = time(() => parseDocument(text), runs);
  const parsed = parsePlaybook(text);
  const rules = time(() => checkParsed(parsed), runs);
  const findings = checkParsed(parsed).findings.length;
  rows.push({ playbook, steps, lines: text.split('\n').length, parseMs: +parseFloor.toFixed(2), rulesMs: +rules.toFixed(2), ratio: +(rules / parseFloor).toFixed(3), findings });
}
console.table(rows);
const big = rows.find((r) => r.playbook === 'clean' && r.steps === 5000)!;
console.log(`${big.ratio < 0.5 ? 'PASS' : 'FAIL'} rules on ${big.steps} steps take ${(big.ratio * 100).toFixed(0)}% of the YAML parse (target: well under 100%)`);
mkdirSync('bench-results', { recursive: true });
writeFileSync('bench-results/core.json', JSON.stringify({ date: new Date().toISOString(), node: process.version, rows }, null, 2));
