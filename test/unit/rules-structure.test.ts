import { describe, test } from 'node:test';
import { assertFindings, playbook } from './helpers/findings.js';

const triage = `  - id: triage
    action: diagnose
    run: kubectl get pods
`;

describe('the baseline playbook', () => {
  test('has no findings at all', () => void assertFindings(playbook(triage), []));
});

describe('PB001 yaml-syntax', () => {
  test('an unclosed flow sequence is reported at the parser position', () =>
    void assertFindings('playbook: demo\nsteps: [a, b\nowners: x\n', [{ rule: 'PB001', flagged: 'o', line: 3, message: 'YAML:' }], ['PB001']));
  test('a duplicate key is reported on the second key', () =>
    void assertFindings('playbook: a\nplaybook: b\n', [{ rule: 'PB001', flagged: 'playbook', line: 2, message: 'appears twice' }], ['PB001']));
  test('a second document is reported', () =>
    void assertFindings(playbook(triage) + '---\nplaybook: other\n', [{ rule: 'PB001', flagged: '---\nplaybook: other\n', message: 'one YAML document' }], ['PB001']));
  test('tabs used as indentation are reported', () =>
    void assertFindings('playbook: a\nowners:\n\tsre: x\n', [{ rule: 'PB001', flagged: '\t', line: 3, message: 'tabs' }], ['PB001']));
  test('a NUL byte is reported as binary content', () =>
    void assertFindings('playbook: a\u0000b\n', [{ rule: 'PB001', flagged: '\u0000', message: 'binary' }]));
  test('valid YAML has none', () => void assertFindings(playbook(triage), [], ['PB001']));
});

describe('PB003 duplicate-step-id', () => {
  test('the second step with an id is flagged, pointing at the first', () => {
    const text = playbook(`${triage}  - id: triage
    action: diagnose
    query: up
`);
    const [f] = assertFindings(text, [{ rule: 'PB003', flagged: 'triage', line: 18, message: ['already used by step 1', '`triage-2`'] }], ['PB003']);
    if (text.slice(f!.related![0]!.range.start, f!.related![0]!.range.end) !== 'triage') throw new Error('related must point at the first id');
  });
  test('distinct ids pass', () => void assertFindings(playbook(triage), [], ['PB003']));
});

describe('PB004 unknown-step-reference', () => {
  test('requires, next and on-failure naming unknown steps are flagged with a suggestion', () =>
    void assertFindings(playbook(`${triage}  - id: restart-api
    action: restart
    service: api
    requires: [triag]
    next: reviw
    on-failure: escalat
  - id: escalate
    action: escalate
    to: incident-commander
`), [
      { rule: 'PB004', flagged: 'triag', message: ['`requires` names `triag`', 'did you mean `triage`?'] },
      { rule: 'PB004', flagged: 'reviw', message: 'did you mean `review`?' },
      { rule: 'PB004', flagged: 'escalat', message: 'did you mean `escalate`?' },
    ], ['PB004']));
  test('abort and continue are not step references', () =>
    void assertFindings(playbook(`  - id: triage
    action: diagnose
    run: x
    on-failure: continue
  - id: look
    action: diagnose
    query: up
    on-failure: abort
`), [], ['PB004']));
});

describe('PB005 unknown-service-or-channel', () => {
  test('an undeclared service and channel are flagged', () =>
    void assertFindings(playbook(`  - id: restart-api
    action: restart
    service: apii
  - id: tell
    action: notify
    channel: securty
`), [
      { rule: 'PB005', flagged: 'apii', message: ['service `apii`', 'did you mean `api`?'] },
      { rule: 'PB005', flagged: 'securty', message: ['channel `securty`', 'did you mean `security`?'] },
    ], ['PB005']));
  test('declared ones pass', () =>
    void assertFindings(playbook(`  - id: restart-api
    action: restart
    service: api
`), [], ['PB005']));
});

describe('PB006 unreachable-step', () => {
  test('a step skipped by `next` is unreachable', () =>
    void assertFindings(playbook(`  - id: triage
    action: diagnose
    run: x
    next: review
  - id: orphan
    action: diagnose
    query: up
`), [{ rule: 'PB006', flagged: 'orphan', severity: 'warning', message: ['never reached', 'jumps to `review`'] }], ['PB006']));
  test('a step reached through on-failure is reachable', () =>
    void assertFindings(playbook(`  - id: triage
    action: diagnose
    run: x
    on-failure: fallback
    next: review
  - id: fallback
    action: diagnose
    query: up
`), [], ['PB006']));
});

describe('PB007 cycle', () => {
  test('a `next` that jumps back loops forever', () =>
    void assertFindings(playbook(`  - id: triage
    action: diagnose
    run: x
  - id: look
    action: diagnose
    query: up
    next: triage
`), [{ rule: 'PB007', flagged: 'triage', message: ['`next` goes back to `triage`', 'triage → look → triage'] }], ['PB007']));
  test('an on-failure retry loop is a cycle', () =>
    void assertFindings(playbook(`  - id: triage
    action: diagnose
    run: x
    on-failure: triage
`), [{ rule: 'PB007', flagged: 'triage', line: 18, message: '`on-failure` goes back to `triage`' }], ['PB007']));
  test('requires that depend on each other deadlock', () =>
    void assertFindings(playbook(`  - id: a
    action: diagnose
    run: x
    requires: [b]
  - id: b
    action: diagnose
    run: y
    requires: [a]
`), [{ rule: 'PB007', flagged: 'a', line: 22, message: ['step `b`: `requires` forms a cycle', 'a → b → a'] }], ['PB007']));
  test('forward jumps are no cycle', () =>
    void assertFindings(playbook(`  - id: triage
    action: diagnose
    run: x
    next: review
`), [], ['PB007']));
});

describe('PB103 security-owner', () => {
  test('owners without security are flagged on the owners key', () =>
    void assertFindings('playbook: demo\ntitle: t\nowners:\n  sre: "@sre"\nsteps:\n  - id: a\n    action: postmortem\n', [{ rule: 'PB103', flagged: 'owners', line: 3, message: 'owners.security' }], ['PB103']));
  test('a near-miss key is named', () =>
    void assertFindings('playbook: demo\nowners:\n  sre: a\n  secops: b\n', [{ rule: 'PB103', flagged: 'owners', message: '`secops` is not read as the security owner' }], ['PB103']));
  test('no owners at all is flagged on the first line', () =>
    void assertFindings('playbook: demo\ntitle: t\n', [{ rule: 'PB103', flagged: 'playbook', line: 1 }], ['PB103']));
  test('owners.security passes', () => void assertFindings(playbook(triage), [], ['PB103']));
});

describe('PB108 unknown-release', () => {
  test('a rollback to a version not in releases is flagged on the version', () =>
    void assertFindings(playbook(`  - id: roll-back
    action: rollback
    service: api
    to: 0.9.0
`), [{ rule: 'PB108', flagged: '0.9.0', severity: 'warning', message: ['not a known release of `api`', '`1.0.0`'] }], ['PB108']));
  test('a deploy of a version as written (1.10 stays 1.10) is compared as text', () =>
    void assertFindings(playbook(`  - id: ship
    action: deploy
    service: api
    version: 1.10
`, { services: '  api:\n    package: pkg:npm/api\n    current: 1.10\n    releases: [1.9, 1.10]\n' }), [], ['PB108']));
  test('v-prefixed and plain versions match', () =>
    void assertFindings(playbook(`  - id: roll-back
    action: rollback
    service: api
    to: v1.1.0
`), [], ['PB108']));
  test('a service without releases cannot be checked', () =>
    void assertFindings(playbook(`  - id: roll-back
    action: rollback
    service: api
    to: 1.1.0
`, { services: '  api:\n    package: pkg:npm/api\n' }), [{ rule: 'PB108', flagged: '1.1.0', message: 'lists no `releases`' }], ['PB108']));
});

describe('PB107 no-postmortem', () => {
  test('a playbook without postmortem is flagged on the steps key', () =>
    void assertFindings('playbook: demo\ntitle: t\nowners:\n  sre: a\n  security: b\nsteps:\n  - id: triage\n    action: diagnose\n    run: x\n', [{ rule: 'PB107', flagged: 'steps', line: 6, severity: 'warning', message: 'no `postmortem` step' }], ['PB107']));
  test('a postmortem step anywhere passes', () => void assertFindings(playbook(triage), [], ['PB107']));
});
