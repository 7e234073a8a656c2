/**
 * The incremental re-parse gives exactly what a full parse of the new text gives, and it does take
 * the fast path for the edits it is made for (an edit inside one step), so a regression to full
 * parses is caught here and not only in the benchmark.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { checkParsed } from '../../server/src/core/check.js';
import { parsePlaybook } from '../../server/src/core/parse/parsePlaybook.js';
import { reparsePlaybook } from '../../server/src/core/parse/reparse.js';
import { effectiveLimits } from '../../server/src/core/limits.js';
import { parseSnapshot } from './helpers/parseSnapshot.js';

const BASE = `playbook: checkout-outage
owners:
  sre: "@sre"
  security: "@sec"
steps:
  - id: look
    action: diagnose
    run: kubectl get pods   # first look
  # the gate comes next
  - id: gate
    action: checkpoint
    kind: security-review
    approvers: [security]
  - id: roll
    action: rollback
    service: checkout
    to: 2.3.1
    notes: |
      keep the
        indentation

  - id: tell
    action: notify
    channel: security
    message: "rolled back"
services:
  checkout:
    package: pkg:npm/checkout
    current: 2.4.0
    releases: [2.3.1, 2.4.0]
channels:
  security: "#sec"
`;

interface Case {
  name: string;
  /** Replaced once (the first occurrence, or the one after `after`). */
  from: string;
  to: string;
  after?: string;
  fast: boolean;
  base?: string;
}

const CASES: Case[] = [
  { name: 'one character of a value in a middle step', from: 'kind: security-review', to: 'kind: security-reviews', fast: true },
  { name: 'a key renamed (run → rum)', from: 'run: kubectl', to: 'rum: kubectl', fast: true },
  { name: 'a step id changed (its references move with it)', from: 'id: gate', to: 'id: gates', fast: true },
  { name: 'a line added inside a step', from: '    to: 2.3.1\n', to: '    to: 2.3.1\n    on-failure: abort\n', fast: true },
  { name: 'a line removed from a step', from: '    approvers: [security]\n', to: '', fast: true },
  { name: 'the comment between two steps edited', from: '# the gate comes next', to: '# the gate comes after', fast: true },
  { name: 'inside a block scalar', from: 'keep the', to: 'keep all the', fast: true },
  { name: 'the last step', from: 'message: "rolled back"', to: 'message: "rolled back now"', fast: true },
  { name: 'the first step', from: 'action: diagnose', to: 'action: diagnosis', fast: true },
  { name: 'a value that makes the step invalid but not the YAML', from: 'to: 2.3.1', to: 'to: [2.3.1', fast: false },
  { name: 'a new step typed between two', from: '  - id: tell\n', to: '  - id: new\n    action: escalate\n  - id: tell\n', fast: true },
  { name: 'a step pasted after the last one', from: '    message: "rolled back"\n', to: '    message: "rolled back"\n  - id: review\n    action: postmortem\n    due: 48h\n', fast: true },
  { name: 'a step removed between two', from: '  - id: gate\n    action: checkpoint\n    kind: security-review\n    approvers: [security]\n', to: '', fast: true },
  { name: 'the first step removed', from: '  - id: look\n    action: diagnose\n    run: kubectl get pods   # first look\n  # the gate comes next\n', to: '', fast: true },
  { name: 'an edit across two steps', from: 'get pods   # first look\n  # the gate comes next\n  - id: gate', to: 'get nodes\n  - id: gates', fast: true },
  { name: 'two steps merged into one (the second one\'s dash removed)', from: '  - id: gate', to: '    id: gate', fast: false },
  { name: 'the last step removed', from: '  - id: tell\n    action: notify\n    channel: security\n    message: "rolled back"\n', to: '', fast: false },
  { name: 'every step removed', base: BASE.replace(/steps:\n[\s\S]*?(?=services:)/, 'steps:\n  - id: only\n    action: diagnose\n'), from: '  - id: only\n    action: diagnose\n', to: '', fast: false },
  { name: 'a step added that repeats an id', from: '  - id: tell\n', to: '  - id: gate\n    action: escalate\n  - id: tell\n', fast: true },
  { name: 'the header (the playbook id)', from: 'playbook: checkout-outage', to: 'playbook: checkout-outages', fast: true },
  { name: 'the services after the steps', from: 'current: 2.4.0', to: 'current: 2.4.1', fast: true },
  { name: 'a release added to a service', from: 'releases: [2.3.1, 2.4.0]', to: 'releases: [2.3.1, 2.3.2, 2.4.0]', fast: true },
  { name: 'a release added as a new line (releases in block form)', base: BASE.replace('releases: [2.3.1, 2.4.0]', 'releases:\n      - 2.3.1\n      - 2.4.0'), from: '      - 2.4.0\n', to: '      - 2.4.0\n      - version: 2.5.0\n        sbom: sboms/2.5.0.json\n', fast: true },
  { name: 'an owner added', from: '  security: "@sec"\n', to: '  security: "@sec"\n  comms: "@comms"\n', fast: true },
  { name: 'the security owner removed', from: '  security: "@sec"\nsteps', to: 'steps', fast: true },
  { name: 'a field added to the last step, right before the services', from: 'message: "rolled back"\n', to: 'message: "rolled back"\n    on-failure: abort\n', fast: true },
  { name: 'the security owner renamed', from: '  security: "@sec"\nsteps', to: '  sec: "@sec"\nsteps', fast: true },
  { name: 'the last block (channels, at the end of the text)', from: 'security: "#sec"\n', to: 'security: "#security"\n', fast: true },
  { name: 'a line typed at the very end (into the last block)', from: 'security: "#sec"\n', to: 'security: "#sec"\n  incident: "#inc"', fast: true },
  { name: 'a comment typed between two blocks', from: 'channels:', to: '# where messages go\nchannels:', fast: true },
  { name: 'a top-level key renamed', from: 'channels:', to: 'channel:', fast: false },
  { name: 'a new top-level key typed in a block', from: '  security: "@sec"\nsteps', to: '  security: "@sec"\ntitle: Checkout\nsteps', fast: false },
  { name: 'a block key renamed to one the document has', from: 'channels:', to: 'services:', fast: false },
  { name: 'an anchor added in a block', from: 'current: 2.4.0', to: 'current: &c 2.4.0', fast: false },
  { name: 'a duplicate key in a block', from: 'current: 2.4.0', to: 'current: 2.4.0\n    current: 2.4.1', fast: false },
  { name: 'a block whose YAML breaks', from: 'current: 2.4.0', to: 'current: [2.4.0', fast: false },
  { name: 'a block edited past the nesting limit', from: 'current: 2.4.0', to: `current: ${'['.repeat(70)}${']'.repeat(70)}`, fast: false },
  { name: 'a block dedented into the root', from: '    current: 2.4.0', to: 'current: 2.4.0', fast: false },
  { name: 'a block in the header, the steps after it moved', from: '  sre: "@sre"', to: '  sre: "@site-reliability"', fast: true },
  { name: 'an edit across two blocks', from: '"@sec"\nsteps:\n  - id: look', to: '"@sec2"\nsteps:\n  - id: looks', fast: false },
  { name: 'the header with CRLF line ends', base: BASE.replace(/\n/g, '\r\n'), from: 'sre: "@sre"', to: 'sre: "@on-call"', fast: true },
  { name: 'root keys indented two columns', base: BASE.replace(/^/gm, '  ').replace(/ +$/, ''), from: 'current: 2.4.0', to: 'current: 2.4.1', fast: true },
  { name: 'a line dedented out of its step', from: '    channel: security\n', to: '  channel: security\n', fast: false },
  { name: 'an anchor added in a step', from: 'to: 2.3.1', to: 'to: &v 2.3.1', fast: false },
  { name: 'a duplicate key (a YAML error)', from: '    to: 2.3.1\n', to: '    to: 2.3.1\n    to: 2.3.2\n', fast: false },
  { name: 'the dash of a step deleted', from: '  - id: roll', to: '    id: roll', fast: false },
  { name: 'a comment typed after a block scalar', from: '        indentation\n', to: '        indentation\n    # after\n', fast: true },
  { name: 'dashes at column 0', base: BASE.replace(/^ {2}- /gm, '- ').replace(/^ {4}(?=\w)/gm, '  ').replace(/^ {6}/gm, '    ').replace(/^ {8}/gm, '      ').replace('  # the gate', '# the gate'), from: 'kind: security-review', to: 'kind: review', fast: true },
  { name: 'CRLF line ends', base: BASE.replace(/\n/g, '\r\n'), from: 'kind: security-review', to: 'kind: review', fast: true },
];

function replaceOnce(text: string, c: Case): string {
  const at = text.indexOf(c.from, c.after ? text.indexOf(c.after) : 0);
  assert.ok(at >= 0, `${c.name}: \`${c.from}\` is in the base text`);
  return text.slice(0, at) + c.to + text.slice(at + c.from.length);
}

describe('incremental re-parse', () => {
  for (const c of CASES) {
    test(`${c.name}: ${c.fast ? 'only the step or block is parsed' : 'a full parse'}, with the result of a full parse`, () => {
      const base = c.base ?? BASE;
      const previous = parsePlaybook(base);
      assert.ok(previous.incremental, 'the base parse can be built upon');
      const previousTree = previous.yaml;
      const next = replaceOnce(base, c);
      const incremental = reparsePlaybook(previous, next);
      assert.equal(incremental.yaml === previousTree, c.fast, c.fast ? 'the previous tree was reused' : 'the text was parsed afresh');
      assert.deepEqual(parseSnapshot(incremental), parseSnapshot(parsePlaybook(next)));
      assert.deepEqual(checkParsed(incremental).findings, checkParsed(parsePlaybook(next)).findings);
    });
  }

  test('chained edits keep matching a full parse, each reusing the tree of the one before', () => {
    let parsed = parsePlaybook(BASE);
    const tree = parsed.yaml;
    for (const word of ['a', 'ab', 'abc', 'ab', '']) {
      const next = BASE.replace('kubectl get pods', `kubectl get pods${word}`).replace('rolled back', `rolled back${word}`);
      parsed = reparsePlaybook(parsed, next);
      assert.deepEqual(parseSnapshot(parsed), parseSnapshot(parsePlaybook(next)));
    }
    // Two steps changed per version: the items between them are parsed again, the rest of the tree is kept.
    assert.equal(parsed.yaml, tree);
  });

  test('a parse that was built upon is not reused a second time', () => {
    const previous = parsePlaybook(BASE);
    const first = reparsePlaybook(previous, BASE.replace('id: gate', 'id: gate1'));
    assert.equal(first.yaml, previous.yaml);
    assert.equal(previous.incremental?.consumed, true);
    const second = reparsePlaybook(previous, BASE.replace('id: gate', 'id: gate2'));
    assert.notEqual(second.yaml, previous.yaml);
    assert.deepEqual(parseSnapshot(second), parseSnapshot(parsePlaybook(BASE.replace('id: gate', 'id: gate2'))));
  });

  test('other limits mean a full parse (the limits decide what a parse reports)', () => {
    const previous = parsePlaybook(BASE);
    const next = BASE.replace('id: gate', 'id: gates');
    const limits = effectiveLimits({ maxLineLength: 20 });
    const reparsed = reparsePlaybook(previous, next, limits);
    assert.notEqual(reparsed.yaml, previous.yaml);
    assert.deepEqual(reparsed.parseFindings.map((f) => f.data), [{ limit: 'maxLineLength', value: 40, max: 20 }]);
  });

  test('a step edited past a limit is left to the full parse, which reports it', () => {
    const limits = effectiveLimits({ maxLineLength: 40 });
    const previous = parsePlaybook(BASE, limits);
    const next = BASE.replace('kubectl get pods', 'kubectl get pods --all-namespaces --output wide');
    const reparsed = reparsePlaybook(previous, next, limits);
    assert.deepEqual(reparsed.parseFindings.map((f) => f.ruleId), ['PB008']);
  });
});
