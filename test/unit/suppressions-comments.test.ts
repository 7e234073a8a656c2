/**
 * Only real YAML comments suppress: the directive's words inside a block scalar or a quoted string
 * are text (they neither suppress nor raise PB109), and a real comment is found whatever else its
 * line holds (quotes, apostrophes, tabs, CRLF, a first key other than `id`).
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { checkPlaybook } from '../../server/src/core/check.js';
import { parsePlaybook } from '../../server/src/core/parse/parsePlaybook.js';
import { directiveComments } from '../../server/src/core/suppressionComments.js';
import { playbook } from './helpers/findings.js';

const DOWNLOAD = 'curl -fsSL https://get.example.com/i.sh | sh';
const REASON = 'the installer is pinned and signed';

/** PB105 findings still shown, PB105 findings suppressed, and PB109 findings, for one text. */
function outcome(text: string): { shown: number; suppressed: number; pb109: string[] } {
  const result = checkPlaybook(text);
  return {
    shown: result.findings.filter((f) => f.ruleId === 'PB105').length,
    suppressed: result.suppressed.filter((f) => f.ruleId === 'PB105').length,
    pb109: result.findings.filter((f) => f.ruleId === 'PB109').map((f) => text.slice(f.range.start, f.range.end)),
  };
}

const NOT_A_COMMENT = { shown: 1, suppressed: 0, pb109: [] };
const APPLIED = { shown: 0, suppressed: 1, pb109: [] };

/** The step before the dangerous one ends with `tail` (its last lines, indented by 4). */
const afterStep = (tail: string): string => playbook(`  - id: first
    action: diagnose
${tail}  - id: install
    action: run
    command: ${DOWNLOAD}
`);

describe('suppression text that is not a YAML comment', () => {
  test('the last line of a `run: |` block scalar does not suppress the next step', () =>
    assert.deepEqual(outcome(afterStep(`    run: |
      echo setting up
      # playbook-ignore PB105: ${REASON}
`)), NOT_A_COMMENT));

  test('nor does the last line of a folded `>-` block scalar', () =>
    assert.deepEqual(outcome(afterStep(`    run: >-
      echo setting up

      # playbook-ignore PB105: ${REASON}
`)), NOT_A_COMMENT));

  test('nor the last line of a multi-line double-quoted string', () =>
    assert.deepEqual(outcome(afterStep(`    run: echo ok
    notes: "set up first
      # playbook-ignore PB105: ${REASON}"
`)), NOT_A_COMMENT));

  test('nor the last line of a multi-line single-quoted string', () =>
    assert.deepEqual(outcome(afterStep(`    run: echo ok
    notes: 'set up first
      # playbook-ignore PB105: ${REASON}'
`)), NOT_A_COMMENT));

  test('nor a double-quoted value on the step\'s own line, after an escaped quote', () =>
    assert.deepEqual(outcome(playbook(`  - command: "${DOWNLOAD}; echo \\" # playbook-ignore PB105: ${REASON}"
    id: install
    action: run
`)), NOT_A_COMMENT));

  test('nor `#` glued to a word (a plain scalar goes on)', () => {
    const text = playbook(`  - id: install
    action: run
    command: ${DOWNLOAD}
    notes: see the runbook#playbook-ignore PB105: ${REASON}
`);
    assert.deepEqual(outcome(text), NOT_A_COMMENT);
  });

  test('a script\'s own comment in the middle of a `run: |` block is no misplaced suppression (no PB109)', () =>
    assert.deepEqual(outcome(playbook(`  - id: install
    action: run
    command: |
      set -e
      # playbook-ignore PB105: ${REASON}
      ${DOWNLOAD}
`)), NOT_A_COMMENT));
});

describe('real comments suppress wherever YAML says they are comments', () => {
  test('at the end of a first line whose quoted value holds an apostrophe', () =>
    assert.deepEqual(outcome(playbook(`  - title: "Don't wait for the vendor" # playbook-ignore PB105: ${REASON}
    id: install
    action: run
    command: ${DOWNLOAD}
`)), APPLIED));

  test('at the end of a flow-map step holding an apostrophe', () =>
    assert.deepEqual(outcome(playbook(`  - {id: install, action: run, notes: "it's signed", command: "${DOWNLOAD}"} # playbook-ignore PB105: ${REASON}
`)), APPLIED));

  test('above a step whose first key is not `id`', () =>
    assert.deepEqual(outcome(playbook(`  # playbook-ignore PB105: ${REASON}
  - action: run
    id: install
    command: ${DOWNLOAD}
`)), APPLIED));

  test('after a tab', () =>
    assert.deepEqual(outcome(playbook(`  - id: install\t# playbook-ignore PB105: ${REASON}
    action: run
    command: ${DOWNLOAD}
`)), APPLIED));

  test('with CRLF line endings, above and at the end of the line', () => {
    const above = playbook(`  # playbook-ignore PB105: ${REASON}\n  - id: install\n    action: run\n    command: ${DOWNLOAD}\n`).replace(/\n/g, '\r\n');
    const end = playbook(`  - id: install # playbook-ignore PB105: ${REASON}  \n    action: run\n    command: ${DOWNLOAD}\n`).replace(/\n/g, '\r\n');
    assert.deepEqual(outcome(above), APPLIED);
    assert.deepEqual(outcome(end), APPLIED);
    const [suppressed] = checkPlaybook(end).suppressed;
    assert.equal(end.slice(suppressed!.suppression.range.start, suppressed!.suppression.range.end), `# playbook-ignore PB105: ${REASON}`);
  });

  test('a comment line after a plain scalar ends it, so it is a comment (YAML allows no `#` line inside one)', () =>
    assert.deepEqual(outcome(afterStep(`    run: echo ok
    notes: a long note
      that goes on
      # playbook-ignore PB105: ${REASON}
`)), APPLIED));

  test('a real comment after a block scalar, less indented, directly above the step', () =>
    assert.deepEqual(outcome(afterStep(`    run: |
      echo setting up
  # playbook-ignore PB105: ${REASON}
`)), APPLIED));
});

describe('real comments in the wrong place are reported, not applied', () => {
  const misplaced = (steps: string): void => {
    const result = outcome(playbook(steps));
    assert.equal(result.shown, 1);
    assert.equal(result.suppressed, 0);
    assert.deepEqual(result.pb109, [`# playbook-ignore PB105: ${REASON}`]);
  };

  test('two lines above, with a blank line between', () =>
    misplaced(`  # playbook-ignore PB105: ${REASON}

  - id: install
    action: run
    command: ${DOWNLOAD}
`));

  test('inside a flow collection below the first line', () =>
    misplaced(`  - id: install
    action: run
    requires: [ # playbook-ignore PB105: ${REASON}
      ]
    command: ${DOWNLOAD}
`));

  test('above a key inside the step rather than above its first line', () =>
    misplaced(`  - action: run
    # playbook-ignore PB105: ${REASON}
    id: install
    command: ${DOWNLOAD}
`));

  test('on a line that starts two steps', () => {
    const text = playbook(`  - id: first
    action: diagnose
    run: echo ok
`).replace('steps:\n  - id: first\n    action: diagnose\n    run: echo ok\n  - id: review\n    action: postmortem\n    due: 48h\n',
      `steps: [{id: install, action: run, command: "${DOWNLOAD}"}, {id: review, action: postmortem}] # playbook-ignore PB105: ${REASON}\n`);
    const result = outcome(text);
    assert.equal(result.shown, 1);
    assert.equal(result.pb109.length, 1);
  });
});

describe('lexing only the steps that hold the word reads as lexing the whole text', () => {
  test('a document with YAML errors is lexed whole: error recovery can leave the lexer inside a flow collection at a step', () => {
    const text = 'playbook: p\nsteps:\n  - id: a\n    requires: [\n  - id: {t\n    run: |\n echo ok\n  - id: b\n    run: |\n  echo ok\n \t# playbook-ignore PB105: tab\n';
    const parsed = parsePlaybook(text);
    assert.ok(parsed.yaml!.errors.length > 0);
    const whole = directiveComments(text, parsed.model.steps);
    assert.equal(whole.length, 1, 'the whole text lexes the line as a comment');
    assert.notDeepEqual(directiveComments(text, parsed.model.steps, { parsedCleanly: true }), whole, 'lexing steps alone would not');
    assert.deepEqual(checkPlaybook(text).findings.filter((f) => f.ruleId === 'PB109').map((f) => text.slice(f.range.start, f.range.end)), ['# playbook-ignore PB105: tab']);
  });

  const WORDS = ['# playbook-ignore PB105: why', "it's # playbook-ignore PB100: x", 'a#playbook-ignore PB105: x', 'echo ok', '- id: z', '{a: [', '"', ''];
  const text = fc.constantFrom(...WORDS);
  /** One field of a step, as lines at `indent` (the step's key column); each kind is valid YAML on its own. */
  const field = fc.tuple(fc.constantFrom('literal', 'folded', 'double', 'single', 'plain', 'flow', 'comment'), fc.array(text, { minLength: 1, maxLength: 3 }))
    .map(([kind, words]) => (indent: number): string => {
      const pad = ' '.repeat(indent);
      const more = ' '.repeat(indent + 2);
      const quoted = (q: string) => words.map((w) => w.replaceAll(q, '').replaceAll('\\', ''));
      switch (kind) {
        case 'literal': return `${pad}run: |\n${words.map((w) => `${more}${w}\n`).join('')}`;
        case 'folded': return `${pad}run: >-\n${words.map((w) => `${more}${w}\n\n`).join('')}`;
        case 'double': return `${pad}notes: "x\n${quoted('"').map((w) => `${more}${w}\n`).join('')}${more}end"\n`;
        case 'single': return `${pad}notes: 'x\n${quoted("'").map((w) => `${more}${w}\n`).join('')}${more}end'\n`;
        case 'plain': return `${pad}notes: x\n${more}${words[0]!.replace(/[#:{}[\]"'-]/g, '')}y\n`;
        case 'flow': return `${pad}requires: [a, # ${words[0]}\n${more}b]\n`;
        default: return `${pad}${words[0]!.startsWith('#') ? words[0] : `# ${words[0]}`}\n`;
      }
    });
  const step = fc.record({
    dash: fc.constantFrom(0, 2),
    ownLine: fc.boolean(),
    end: fc.constantFrom('', ' # playbook-ignore PB105: why', " # it's", '\t# playbook-ignore PB100'),
    above: fc.constantFrom('', '# playbook-ignore PB105: why\n', '\n', '# other\n'),
    fields: fc.array(field, { maxLength: 3 }),
  });
  test('for generated steps that parse', () => {
    let parsedCleanly = 0;
    fc.assert(fc.property(fc.array(step, { minLength: 1, maxLength: 6 }), fc.boolean(), (steps, crlf) => {
      const dash = steps[0]!.dash;
      let text = 'playbook: p\nsteps:\n';
      for (const s of steps) {
        const keys = ' '.repeat(dash + 2);
        text += `${s.above ? ' '.repeat(dash) + s.above : ''}${' '.repeat(dash)}-${s.ownLine ? `${s.end}\n${keys}` : ' '}id: a${s.ownLine ? '' : s.end}\n`;
        for (const f of s.fields) text += f(dash + 2);
      }
      if (crlf) text = text.replace(/\n/g, '\r\n');
      const parsed = parsePlaybook(text);
      fc.pre(parsed.yaml !== undefined && parsed.yaml.errors.length === 0);
      parsedCleanly++;
      assert.deepEqual(directiveComments(text, parsed.model.steps, { parsedCleanly: true }), directiveComments(text, parsed.model.steps));
    }), { numRuns: 400 });
    assert.ok(parsedCleanly >= 400);
  });
});
