/**
 * Go to definition, find references and rename, data-driven: `‸` marks the cursor and `«…»` the
 * ranges expected back; both are taken out of the text before it is checked.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { checkPlaybook } from '../../server/src/core/check.js';
import { definition, prepareRename, references, rename } from '../../server/src/core/features/navigation.js';
import type { Analysis, TextEdit } from '../../server/src/core/features/types.js';
import type { OffsetRange } from '../../server/src/core/types.js';
import { playbook } from './helpers/findings.js';

interface Marked {
  text: string;
  cursor: number;
  ranges: OffsetRange[];
}

/** Takes the markers out: the cursor `‸` (exactly one) and the expected ranges `«…»`, in order. */
function marked(source: string): Marked {
  let text = '';
  let cursor = -1;
  const ranges: OffsetRange[] = [];
  let open = -1;
  for (const ch of source) {
    if (ch === '‸') cursor = text.length;
    else if (ch === '«') open = text.length;
    else if (ch === '»') ranges.push({ start: open, end: text.length });
    else text += ch;
  }
  assert.notEqual(cursor, -1, 'the case marks a cursor');
  return { text, cursor, ranges };
}

function analyse(source: string): Marked & { analysis: Analysis } {
  const m = marked(source);
  return { ...m, analysis: checkPlaybook(m.text) };
}

/** Ranges with the text under each, so a failure shows what was found. */
function shown(text: string, ranges: OffsetRange[]): Array<[number, number, string]> {
  return ranges.map((r) => [r.start, r.end, text.slice(r.start, r.end)]);
}

function applyEdits(text: string, edits: TextEdit[]): string {
  for (let i = 1; i < edits.length; i++) assert.ok(edits[i - 1]!.range.end <= edits[i]!.range.start, 'edits are sorted and do not overlap');
  return [...edits].reverse().reduce((out, e) => out.slice(0, e.range.start) + e.newText + out.slice(e.range.end), text);
}

const triage = '  - id: «triage»\n    action: diagnose\n    run: kubectl get pods\n';
const gate = '  - id: gate\n    action: checkpoint\n    kind: security-review\n';

describe('definition', () => {
  const cases: Array<[name: string, source: string]> = [
    ['a step named in a flow `requires` list', playbook(`${triage}${gate}  - id: roll-back
    action: rollback
    service: api
    to: 1.1.0
    requires: [gate, tri‸age]
`)],
    ['a step named in a block `requires` list', playbook(`${triage}${gate}  - id: roll-back
    action: rollback
    service: api
    to: 1.1.0
    requires:
      - gate
      - ‸triage
`)],
    ['a lone `requires` scalar', playbook(`${triage}  - {id: wait-a-bit, action: wait, duration: 5m, requires: triag‸e}\n`)],
    ['the cursor just after the name', playbook(`${triage}  - {id: wait-a-bit, action: wait, duration: 5m, next: triage‸}\n`)],
    ['a `next` jump', playbook(`  - id: start\n    action: diagnose\n    run: x\n    next: fi‸x\n  - id: «fix»\n    action: restart\n    service: api\n`)],
    ['an `on-failure` target', playbook(`${triage.replace('«triage»', 'triage')}  - id: «escalate»\n    action: escalate\n    to: ic\n    on-failure: escal‸ate\n`)],
    ['a step id itself', playbook(`  - id: «tri‸age»\n    action: diagnose\n    run: x\n`)],
    ['a duplicate id: the first step with it', playbook(`${triage}  - id: triage\n    action: diagnose\n    run: y\n  - {id: wait-a-bit, action: wait, duration: 5m, requires: [‸triage]}\n`)],
    ['the second of two duplicate ids: itself', playbook(`  - id: triage\n    action: diagnose\n    run: x\n  - id: «tri‸age»\n    action: diagnose\n    run: y\n`)],
    ['a double-quoted reference to a single-quoted id: the name inside the quotes', playbook(`  - id: '«triage»'\n    action: diagnose\n    run: x\n  - {id: wait-a-bit, action: wait, duration: 5m, requires: ["tri‸age"]}\n`)],
    ['the cursor on the opening quote of a quoted reference', playbook(`  - {id: «gate», action: checkpoint, kind: security-review}\n  - {id: later, action: wait, duration: 1m, requires: [‸"gate"]}\n`)],
    ['a service used by a step', playbook(`  - {id: go-back, action: rollback, service: a‸pi, to: 1.1.0}\n`, { services: '  «api»:\n    package: pkg:npm/api\n' })],
    ['a quoted service use and a quoted key', playbook(`  - {id: go-back, action: rollback, service: "a‸pi", to: 1.1.0}\n`, { services: '  "«api»":\n    package: pkg:npm/api\n' })],
    ['a service key itself', playbook('', { services: '  «a‸pi»:\n    package: pkg:npm/api\n' })],
    ['a channel of a notify step', playbook(`  - {id: tell, action: notify, channel: secur‸ity, message: hi}\n`, { channels: '  «security»: "#sec"\n' })],
    ['a channel key itself', playbook('', { channels: '  «‸incident»: "#inc"\n' })],
    ['a reference in a document with a YAML error elsewhere', `playbook: demo
title: [oops
steps:
  - id: «triage»
    action: diagnose
  - {id: later, action: wait, duration: 1m, requires: [tria‸ge]}
`],
    // Nothing to go to:
    ['an unknown step', playbook(`${triage.replace('«triage»', 'triage')}  - {id: wait-a-bit, action: wait, duration: 5m, requires: [tri‸ge]}\n`)],
    ['`on-failure: abort`', playbook(`  - {id: wait-a-bit, action: wait, duration: 5m, on-failure: ab‸ort}\n`)],
    ['an unknown service', playbook(`  - {id: go-back, action: rollback, service: we‸b, to: 1.1.0}\n`)],
    ['a `channel` field outside a notify step', playbook(`  - {id: ask, action: escalate, to: ic, channel: secur‸ity}\n`)],
    ['an action value', playbook(`  - {id: wait-a-bit, action: wa‸it, duration: 5m}\n`)],
    ['a field key', playbook(`  - {id: wait-a-bit, action: wait, dura‸tion: 5m}\n`)],
    ['a document that does not parse as a map', '- ‸a\n- b\n'],
  ];
  for (const [name, source] of cases) {
    test(name, () => {
      const { text, cursor, ranges, analysis } = analyse(source);
      assert.deepEqual(shown(text, definition(analysis, cursor)), shown(text, ranges));
    });
  }
});

describe('references', () => {
  const uses = playbook(`  - id: «gate»
    action: checkpoint
    kind: security-review
  - id: roll-back
    action: rollback
    service: api
    to: 1.1.0
    requires: [«gate»]
  - id: retry
    action: wait
    duration: 1m
    next: '«gate»'
    on-failure: «gate»
  - id: deploy-fix
    action: deploy
    service: api
    version: 1.2.0
    requires:
      - triage
      - «gate»
`);
  const cases: Array<[name: string, source: string, includeDeclaration: boolean]> = [
    ['from the declaration, with it', uses.replace('id: «gate»', 'id: «ga‸te»'), true],
    ['from a use, with the declaration', uses.replace('[«gate»]', '[«‸gate»]'), true],
    ['from a use, without the declaration', uses.replace('id: «gate»', 'id: gate').replace('on-failure: «gate»', 'on-failure: «gat‸e»'), false],
    ['an unknown step: its uses all the same', playbook(`  - {id: a, action: wait, duration: 1m, next: «tri‸ge»}\n  - {id: b, action: wait, duration: 1m, requires: [«trige»]}\n`), true],
    ['the second of two duplicate ids: no use binds to it', playbook(`  - id: dup\n    action: wait\n    duration: 1m\n  - id: «d‸up»\n    action: wait\n    duration: 1m\n    on-failure: dup\n`), true],
    ['a service: its key and every step using it', playbook(`  - {id: go-back, action: rollback, service: «api», to: 1.1.0}\n  - {id: kick, action: restart, service: "«api»"}\n  - {id: other, action: restart, service: web}\n`, { services: '  «a‸pi»:\n    package: pkg:npm/api\n  web:\n    package: pkg:npm/web\n' }), true],
    ['a channel: its key and the notify steps using it, not other fields', playbook(`  - {id: tell, action: notify, channel: «incident», message: hi}\n  - {id: ask, action: escalate, to: ic, channel: incident}\n`, { channels: '  security: "#sec"\n  «incid‸ent»: "#inc"\n' }), true],
    ['nothing at the cursor', playbook(`  - {id: wait-a-bit, action: wait, duration: 5‸m}\n`), true],
  ];
  for (const [name, source, includeDeclaration] of cases) {
    test(name, () => {
      const { text, cursor, ranges, analysis } = analyse(source);
      assert.deepEqual(shown(text, references(analysis, cursor, includeDeclaration)), shown(text, ranges));
    });
  }
});

describe('rename', () => {
  const before = playbook(`  - id: gate
    action: checkpoint
    kind: security-review
  - id: roll-back
    action: rollback
    service: api
    to: 1.1.0
    requires: [triage, "gate"]
  - id: retry
    action: wait
    duration: 1m
    next: 'gate'
    on-failure: gate
  - {id: deploy-fix, action: deploy, service: api, version: 1.2.0, requires: [gate]}
  - id: triage
    action: diagnose
    run: x
`);
  const after = before.replace(/(?<=id: )gate|(?<=\[triage, ")gate|(?<=next: ')gate|(?<=on-failure: )gate|(?<=requires: \[)gate/g, 'security-gate');
  const cases: Array<[name: string, source: string, newName: string, expected: string]> = [
    ['a step used in `requires`, `next` and `on-failure`, quotes kept, from its id', before.replace('id: gate', 'id: ga‸te'), 'security-gate', after],
    ['the same from a quoted use', before.replace('"gate"', '"g‸ate"'), 'security-gate', after],
    ['a service: its key and every use', playbook(`  - {id: go-back, action: rollback, service: api, to: 1.1.0}\n  - {id: kick, action: restart, service: 'a‸pi'}\n`, { services: '  "api":\n    package: pkg:npm/api\n' }), 'payments-api',
      playbook(`  - {id: go-back, action: rollback, service: payments-api, to: 1.1.0}\n  - {id: kick, action: restart, service: 'payments-api'}\n`, { services: '  "payments-api":\n    package: pkg:npm/api\n' })],
    ['a channel: its key and the notify steps using it', playbook(`  - {id: tell, action: notify, channel: incident, message: hi}\n  - {id: ask, action: escalate, to: ic, channel: incident}\n`, { channels: '  security: "#sec"\n  incid‸ent: "#inc"\n' }), 'war_room',
      playbook(`  - {id: tell, action: notify, channel: war_room, message: hi}\n  - {id: ask, action: escalate, to: ic, channel: incident}\n`, { channels: '  security: "#sec"\n  war_room: "#inc"\n' })],
    ['the second of two duplicate ids alone (the fix for PB003)', playbook('  - {id: dup, action: wait, duration: 1m}\n  - {id: d‸up, action: wait, duration: 2m}\n  - {id: after, action: wait, duration: 1m, requires: [dup]}\n'), 'dup-2',
      playbook('  - {id: dup, action: wait, duration: 1m}\n  - {id: dup-2, action: wait, duration: 2m}\n  - {id: after, action: wait, duration: 1m, requires: [dup]}\n')],
    ['the first of two duplicate ids from a use: the later duplicate is left as it is', playbook('  - {id: dup, action: wait, duration: 1m}\n  - {id: dup, action: wait, duration: 2m}\n  - {id: after, action: wait, duration: 1m, requires: [d‸up]}\n'), 'first',
      playbook('  - {id: first, action: wait, duration: 1m}\n  - {id: dup, action: wait, duration: 2m}\n  - {id: after, action: wait, duration: 1m, requires: [first]}\n')],
    ['a step in a document with a YAML error elsewhere', 'playbook: demo\ntitle: [oops\nsteps:\n  - id: tri‸age\n  - {id: b, requires: [triage]}\n', 'look', 'playbook: demo\ntitle: [oops\nsteps:\n  - id: look\n  - {id: b, requires: [look]}\n'],
    ['the same name: nothing to change', before.replace('id: gate', 'id: ga‸te'), 'gate', before],
  ];
  for (const [name, source, newName, expected] of cases) {
    test(name, () => {
      const { text, cursor, analysis } = analyse(source);
      const result = rename(analysis, cursor, newName);
      assert.ok('edits' in result, `refused: ${'error' in result ? result.error : ''}`);
      assert.equal(applyEdits(text, result.edits), expected);
    });
  }

  const refusals: Array<[name: string, source: string, newName: string, message: string]> = [
    ['an upper-case step id', before.replace('id: gate', 'id: ga‸te'), 'Gate', '`Gate` is not a valid step id: use kebab-case'],
    ['a step id with an underscore', before.replace('id: gate', 'id: ga‸te'), 'sec_gate', '`sec_gate` is not a valid step id'],
    ['an empty name', before.replace('id: gate', 'id: ga‸te'), '', '`` is not a valid step id'],
    ['the id of another step', before.replace('id: gate', 'id: ga‸te'), 'triage', '`triage` is already the id of another step'],
    ['`abort`', before.replace('id: gate', 'id: ga‸te'), 'abort', '`abort` is a keyword of `on-failure`'],
    ['`continue`', before.replace('next: \'gate\'', 'next: \'ga‸te\''), 'continue', '`continue` is a keyword of `on-failure`'],
    ['a name YAML reads as a boolean', before.replace('id: gate', 'id: ga‸te'), 'true', 'YAML would read `true` as a boolean'],
    ['a name YAML reads as a number', before.replace('id: gate', 'id: ga‸te'), '0x1f', 'YAML would read `0x1f` as a number'],
    ['a service name already declared', playbook('', { services: '  a‸pi:\n    package: pkg:npm/api\n  web:\n    package: pkg:npm/web\n' }), 'web', 'a service `web` is already declared under `services`'],
    ['a service name with a space', playbook('', { services: '  a‸pi:\n    package: pkg:npm/api\n' }), 'my api', '`my api` is not a valid service name'],
    ['a channel name already declared', playbook('', { channels: '  security: "#sec"\n  incid‸ent: "#inc"\n' }), 'security', 'a channel `security` is already declared under `channels`'],
    ['the `security` channel role', playbook('', { channels: '  secur‸ity: "#sec"\n' }), 'sec', '`security` is the channel role that security notifications (PB102) look for'],
    ['an unknown step', before.replace('[triage,', '[tri‸ge,'), 'look', '`trige` is not the id of a step in this playbook, so there is nothing to rename'],
    ['an unknown service', playbook('  - {id: kick, action: restart, service: w‸eb}\n'), 'www', '`web` is not declared under `services`'],
    ['an `on-failure` keyword', playbook('  - {id: w, action: wait, duration: 1m, on-failure: contin‸ue}\n'), 'go-on', '`continue` is a keyword of `on-failure`, not a step id'],
    ['a block scalar use', playbook('  - id: a\n    action: wait\n    duration: 1m\n  - id: b\n    action: wait\n    duration: 1m\n    next: |-\n      a\n').replace('id: a', 'id: ‸a'), 'start', '`a` is written as a block scalar (`|` or `>`) on line'],
    ['nothing at the cursor', before.replace('kind: security-review', 'kind: sec‸urity-review'), 'x', 'nothing to rename here'],
  ];
  for (const [name, source, newName, message] of refusals) {
    test(`refuses ${name}`, () => {
      const { cursor, analysis } = analyse(source);
      const result = rename(analysis, cursor, newName);
      assert.ok('error' in result, `expected a refusal, got ${JSON.stringify(result)}`);
      assert.ok(result.error.includes(message), `${JSON.stringify(result.error)} lacks ${JSON.stringify(message)}`);
    });
  }
});

describe('prepareRename', () => {
  test('a quoted use: the name inside the quotes, and the name as placeholder', () => {
    const { text, cursor, ranges, analysis } = analyse(playbook(`  - {id: gate, action: checkpoint, kind: security-review}\n  - {id: later, action: wait, duration: 1m, requires: ['«ga‸te»']}\n`));
    const result = prepareRename(analysis, cursor);
    assert.ok(result && 'range' in result, JSON.stringify(result));
    assert.deepEqual(shown(text, [result.range]), shown(text, ranges));
    assert.equal(result.placeholder, 'gate');
  });
  test('a service key', () => {
    const { text, cursor, ranges, analysis } = analyse(playbook('', { services: '  «ap‸i»:\n    package: pkg:npm/api\n' }));
    const result = prepareRename(analysis, cursor);
    assert.ok(result && 'range' in result, JSON.stringify(result));
    assert.deepEqual(shown(text, [result.range]), shown(text, ranges));
    assert.equal(result.placeholder, 'api');
  });
  test('nothing at the cursor: undefined, so the editor says it cannot rename', () => {
    const { cursor, analysis } = analyse(playbook('  - {id: w, action: wa‸it, duration: 1m}\n'));
    assert.equal(prepareRename(analysis, cursor), undefined);
  });
  test('an unknown step: the reason', () => {
    const { cursor, analysis } = analyse(playbook('  - {id: w, action: wait, duration: 1m, next: nowh‸ere}\n'));
    assert.deepEqual(prepareRename(analysis, cursor), { error: '`nowhere` is not the id of a step in this playbook, so there is nothing to rename; fix the name or declare it first' });
  });
});
