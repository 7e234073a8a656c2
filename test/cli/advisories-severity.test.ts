/**
 * An in-house record whose severity is written in its `affected` entry fails CI like any HIGH
 * advisory: `playbook check` exits 1 with a PB101 error, on a first load and again (from the per-user
 * cache when it is on).
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { playbook } from '../unit/helpers/findings.js';
import { cli, workspace } from './helpers.js';

const ROLLBACK = playbook(
  `  - id: security-gate
    action: checkpoint
    kind: security-review
    approvers: [security]
  - id: roll-back
    action: rollback
    service: ledger
    to: 3.1.0
    requires: [security-gate]
  - id: tell-security
    action: notify
    channel: security
    message: "ledger rolled back"
`,
  { services: '  ledger:\n    package: pkg:generic/acme/ledger\n    current: 3.2.1\n    releases: [3.1.0, 3.2.1]\n' },
);

function inHouseRecord(entry: Record<string, unknown>): string {
  return JSON.stringify({
    id: 'ACME-2026-0001',
    modified: '2026-01-05T00:00:00Z',
    summary: 'Ledger exports leak account numbers',
    affected: [{ package: { ecosystem: 'Internal', name: 'acme/ledger', purl: 'pkg:generic/acme/ledger' }, ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '3.0.0' }, { fixed: '3.2.1' }] }], ...entry }],
  });
}

const WRITTEN_AS: readonly [string, Record<string, unknown>, string][] = [
  ['affected[].database_specific.severity', { database_specific: { severity: 'HIGH' } }, 'HIGH'],
  ['affected[].severity, a CVSS v3.1 vector', { severity: [{ type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N' }] }, 'HIGH'],
  ['affected[].severity, a CVSS v4.0 vector', { severity: [{ type: 'CVSS_V4', score: 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N' }] }, 'CRITICAL'],
];

describe('playbook check: severity in the affected entry', () => {
  for (const [how, entry, severity] of WRITTEN_AS) {
    test(`${how}: exit 1, PB101 error "severity ${severity}", on a first and a second load`, async () => {
      const dir = workspace({
        '.playbooks/policy.yaml': 'policy: 1\nadvisories: [advisories]\n',
        '.playbooks/advisories/ACME-2026-0001.json': inHouseRecord(entry),
        'ledger.playbook.yaml': ROLLBACK,
      });
      for (const load of ['first load', 'second load']) {
        const r = await cli(['check', 'ledger.playbook.yaml'], dir);
        assert.equal(r.code, 1, `${load}: ${r.stdout}${r.stderr}`);
        assert.match(r.stdout, new RegExp(`^ledger\\.playbook\\.yaml:\\d+:\\d+ error PB101 step 'roll-back' rolls back to '3\\.1\\.0' of 'ledger', which ACME-2026-0001 affects, severity ${severity}:`, 'm'), load);
      }
    });
  }

  test('the same record with a LOW entry severity is a warning: exit 0', async () => {
    const dir = workspace({
      '.playbooks/policy.yaml': 'policy: 1\nadvisories: [advisories]\n',
      '.playbooks/advisories/ACME-2026-0001.json': inHouseRecord({ database_specific: { severity: 'LOW' } }),
      'ledger.playbook.yaml': ROLLBACK,
    });
    const r = await cli(['check', 'ledger.playbook.yaml'], dir);
    assert.equal(r.code, 0, r.stdout);
    assert.match(r.stdout, /warning PB101 .*severity LOW:/);
  });
});
