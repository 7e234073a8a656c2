/**
 * Every shipped snippet (snippets/playbook.snippets.json), expanded with its defaults as the editor
 * inserts it when the user only presses Tab, checks clean: the skeleton alone, each step snippet
 * inside a small playbook of its own. The skeleton's happy path ends in the postmortem, and it
 * escalates only when the rollback fails.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parse as parseJsonc } from 'jsonc-parser';
import { checkPlaybook } from '../../server/src/core/check.js';
import { simulate } from '../../server/src/core/dryrun/index.js';

interface Snippet {
  prefix: string;
  body: string[];
}

const SNIPPETS = parseJsonc(readFileSync(path.join(__dirname, '../../snippets/playbook.snippets.json'), 'utf8')) as Record<string, Snippet>;

/**
 * A snippet's text with every placeholder at its default: `${1:text}` → text (placeholders nest),
 * `${1|a,b|}` → a, `$1`, `${1}` and `$0` → nothing. Escapes (`\$`, `\}`) are kept as the characters.
 */
function expand(body: string): string {
  let text = body;
  for (let previous = ''; previous !== text; ) {
    previous = text;
    text = text.replace(/\$\{\d+:([^${}]*)\}/g, '$1').replace(/\$\{\d+\|([^,|]*)[^|]*\|\}/g, '$1');
  }
  return text.replace(/\$\{\d+\}|\$\d+/g, '').replace(/\\([$}\\])/g, '$1');
}

const skeleton = expand(SNIPPETS['Playbook skeleton']!.body.join('\n'));

/** A playbook around step snippets: the skeleton's header, a first step, the snippet's steps, and (unless it is one) a postmortem. */
function around(steps: string, withPostmortem: boolean): string {
  const header = skeleton.slice(0, skeleton.indexOf('steps:\n'));
  const indented = steps.trimEnd().split('\n').map((line) => (line === '' ? line : `  ${line}`)).join('\n');
  const postmortem = withPostmortem ? '\n  - id: wrap-up\n    action: postmortem\n    due: 48h' : '';
  return `${header}steps:\n  - id: triage\n    action: diagnose\n    run: kubectl get pods\n${indented}${postmortem}\n`;
}

/** The findings, less the one about this test loading no advisories (a fact of the environment, not of the snippet). */
const findingsOf = (text: string): string[] =>
  checkPlaybook(text).findings.filter((f) => !(f.ruleId === 'PB110' && /^no advisory records are loaded/.test(f.message))).map((f) => `${f.ruleId} ${f.message}`);
/** The steps a run went through (done or failed), in order. */
const ran = (run: ReturnType<typeof simulate>): string[] => run.trace.filter((t) => t.status === 'ran' || t.status === 'failed').map((t) => t.step);

describe('shipped snippets, expanded with their defaults', () => {
  test('the expander: defaults, nested placeholders, the first choice, tab stops', () => {
    assert.equal(expand('a: ${1:x ${2:y}} b: ${3|p,q|} c: $4${5}$0'), 'a: x y b: p c: ');
  });

  test('the playbook skeleton checks clean', () => {
    assert.deepEqual(findingsOf(skeleton), []);
  });

  test('the skeleton\'s happy path ends in the postmortem; it escalates only when the rollback fails', () => {
    const analysis = checkPlaybook(skeleton);
    const happy = ran(simulate(analysis));
    assert.deepEqual(happy, ['triage', 'security-gate', 'roll-back', 'tell-security', 'review']);
    const failed = ran(simulate(analysis, { fail: ['roll-back'] }));
    assert.deepEqual(failed, ['triage', 'security-gate', 'roll-back', 'escalate', 'review']);
  });

  for (const [name, snippet] of Object.entries(SNIPPETS)) {
    if (name === 'Playbook skeleton') continue;
    test(`"${name}" (${snippet.prefix}) checks clean in a playbook`, () => {
      const text = around(expand(snippet.body.join('\n')), !snippet.body.some((line) => /action: postmortem/.test(line)));
      assert.deepEqual(findingsOf(text), [], text);
    });
  }
});
