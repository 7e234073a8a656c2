/** The document outline, data-driven: each symbol as its name, kind, detail and the exact text under its ranges. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { checkPlaybook } from '../../server/src/core/check.js';
import { documentSymbols } from '../../server/src/core/features/symbols.js';
import type { SymbolEntry } from '../../server/src/core/features/types.js';
import { SPEC_EXAMPLE } from './helpers/flowSecurity.js';

interface Shown {
  name: string;
  kind: SymbolEntry['kind'];
  detail: string;
  /** The text under `range`. */
  range: string;
  /** The text under `selectionRange`. */
  selection: string;
  children?: Shown[];
}

function show(text: string, symbols: SymbolEntry[]): Shown[] {
  return symbols.map((s) => {
    assert.ok(s.range.start <= s.selectionRange.start && s.selectionRange.end <= s.range.end, `the selection of ${s.name} lies in its range`);
    const shown: Shown = { name: s.name, kind: s.kind, detail: s.detail, range: text.slice(s.range.start, s.range.end), selection: text.slice(s.selectionRange.start, s.selectionRange.end) };
    if (s.children) shown.children = show(text, s.children);
    return shown;
  });
}

function assertOutline(text: string, expected: Shown[]): void {
  assert.deepEqual(show(text, documentSymbols(checkPlaybook(text))), expected);
}

/** A step written in flow style, whose range is its whole text. */
const flowStep = (name: string, detail: string, textOfStep: string): Shown => ({ name, kind: 'step', detail, range: textOfStep, selection: name });

describe('documentSymbols', () => {
  test('the specification example: services, channels and steps in file order', () => {
    const step = (id: string): string => {
      const start = SPEC_EXAMPLE.indexOf(`- id: ${id}\n`) + 2;
      const next = SPEC_EXAMPLE.indexOf('\n  - ', start);
      return SPEC_EXAMPLE.slice(start, next === -1 ? SPEC_EXAMPLE.trimEnd().length : next);
    };
    const blockStep = (id: string, detail: string): Shown => ({ name: id, kind: 'step', detail, range: step(id), selection: id });
    assertOutline(SPEC_EXAMPLE, [
      {
        name: 'services', kind: 'field', detail: '1 service', selection: 'services',
        range: 'services:\n  checkout:\n    package: pkg:npm/%40acme/checkout   # purl (https://github.com/package-url/purl-spec); matched to OSV affected[].package\n    current: 2.4.0                      # the release running now\n    releases: [2.2.0, 2.2.5, 2.3.0, 2.3.1, 2.4.0]   # known releases, any order',
        children: [{
          name: 'checkout', kind: 'service', detail: 'pkg:npm/%40acme/checkout@2.4.0', selection: 'checkout',
          range: 'checkout:\n    package: pkg:npm/%40acme/checkout   # purl (https://github.com/package-url/purl-spec); matched to OSV affected[].package\n    current: 2.4.0                      # the release running now\n    releases: [2.2.0, 2.2.5, 2.3.0, 2.3.1, 2.4.0]   # known releases, any order',
        }],
      },
      {
        name: 'channels', kind: 'field', detail: '2 channels', selection: 'channels',
        range: 'channels:\n  security: "#sec-incidents"         # the channel role `security` is what rule PB102 looks for\n  incident: "#inc-checkout"',
        children: [
          { name: 'security', kind: 'channel', detail: '#sec-incidents', range: 'security: "#sec-incidents"', selection: 'security' },
          { name: 'incident', kind: 'channel', detail: '#inc-checkout', range: 'incident: "#inc-checkout"', selection: 'incident' },
        ],
      },
      {
        name: 'steps', kind: 'field', detail: '6 steps', selection: 'steps',
        range: SPEC_EXAMPLE.slice(SPEC_EXAMPLE.indexOf('steps:')).trimEnd(),
        children: [
          blockStep('triage', 'diagnose kubectl -n checkout get pods'),
          blockStep('security-gate', 'checkpoint security-review'),
          blockStep('roll-back', 'rollback checkout → 2.3.1'),
          blockStep('tell-security', 'notify → security'),
          blockStep('escalate', 'escalate → incident-commander'),
          blockStep('review', 'postmortem 48h'),
        ],
      },
    ]);
  });

  const details: Array<[step: string, detail: string]> = [
    ['{id: s, action: run, command: "kubectl rollout restart deployment/checkout --namespace payments"}', 'run kubectl rollout restart deployment/chec…'],
    ['{id: s, action: deploy, service: api, version: 1.2.0}', 'deploy api → 1.2.0'],
    ['{id: s, action: scale, service: api, replicas: 6}', 'scale api → 6 replicas'],
    ['{id: s, action: failover, service: api, to: eu-west-1}', 'failover api → eu-west-1'],
    ['{id: s, action: feature-flag, flag: new-checkout, state: off}', 'feature-flag new-checkout → off'],
    ['{id: s, action: access-grant, principal: "@oncall", role: db-admin, duration: 1h}', 'access-grant db-admin → @oncall'],
    ['{id: s, action: restart, service: api}', 'restart api'],
    ['{id: s, action: rotate-secret, secret: db-password}', 'rotate-secret db-password'],
    ['{id: s, action: wait, duration: 5m}', 'wait 5m'],
    ['{id: s, action: rollback}', 'rollback'],
    ['{id: s, action: teleport, to: mars}', 'teleport'],
    ['{id: s, run: "multi\n    line"}', ''],
  ];
  for (const [step, detail] of details) {
    test(`the detail of ${step}`, () => {
      const text = `steps:\n  - ${step}\n`;
      assertOutline(text, [{ name: 'steps', kind: 'field', detail: '1 step', range: `steps:\n  - ${step}`, selection: 'steps', children: [flowStep('s', detail, step)] }]);
    });
  }

  test('a document with YAML errors: steps without an id are named by position, non-map items left out', () => {
    const text = `playbook: broken
title: [oops
steps:
  - action: diagnose
    run: x
  - just text
  - id: "quoted-id"
    action: restart
    service: api
  - {id: , action: wait}
`;
    assertOutline(text, [{
      name: 'steps', kind: 'field', detail: '3 steps', selection: 'steps',
      range: text.slice(text.indexOf('steps:')).trimEnd(),
      children: [
        { name: 'step 1', kind: 'step', detail: 'diagnose x', range: 'action: diagnose\n    run: x', selection: 'action: diagnose' },
        { name: 'quoted-id', kind: 'step', detail: 'restart api', range: 'id: "quoted-id"\n    action: restart\n    service: api', selection: 'quoted-id' },
        { name: 'step 4', kind: 'step', detail: 'wait', range: '{id: , action: wait}', selection: '{id: , action: wait}' },
      ],
    }]);
  });

  test('duplicated service keys: the one the model keeps', () => {
    const text = 'services:\n  api: {package: pkg:npm/a}\n  api: {package: pkg:npm/b, current: 2.0.0}\n';
    assertOutline(text, [{
      name: 'services', kind: 'field', detail: '1 service', selection: 'services', range: text.trimEnd(),
      children: [{ name: 'api', kind: 'service', detail: 'pkg:npm/b@2.0.0', range: 'api: {package: pkg:npm/b, current: 2.0.0}', selection: 'api' }],
    }]);
  });

  for (const [name, text] of [['an empty document', ''], ['a list at the top', '- a\n- b\n'], ['a scalar', 'hello\n'], ['a map without the three keys', 'playbook: x\n']] as const) {
    test(`${name}: no symbols`, () => assertOutline(text, []));
  }
});
