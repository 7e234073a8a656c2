/** Generated playbooks for benchmarks: realistic step mixes, valid, any size. */
const ACTIONS = [
  (i: number) => `  - id: look-${i}\n    action: diagnose\n    run: kubectl -n checkout get pods -l app=api-${i}\n`,
  (i: number) => `  - id: gate-${i}\n    action: checkpoint\n    kind: security-review\n    approvers: [security]\n`,
  (i: number) => `  - id: roll-back-${i}\n    action: rollback\n    service: checkout\n    to: 2.3.1\n    on-failure: escalate-${i}\n`,
  (i: number) => `  - id: tell-${i}\n    action: notify\n    channel: security\n    message: "rolled back (${i})"\n`,
  (i: number) => `  - id: escalate-${i}\n    action: escalate\n    to: incident-commander\n`,
];

export function generatePlaybook(steps: number): string {
  const head = `playbook: generated-${steps}
title: Generated playbook with ${steps} steps
owners:
  sre: "@sre"
  security: "@sec"
severity: sev2
services:
  checkout:
    package: pkg:npm/%40acme/checkout
    current: 2.4.0
    releases: [2.2.0, 2.3.1, 2.4.0]
channels:
  security: "#sec"
  incident: "#inc"
steps:
`;
  const body: string[] = [];
  let i = 0;
  for (; body.length + ACTIONS.length <= steps - 1; i++) for (const make of ACTIONS) body.push(make(i));
  while (body.length < steps - 1) body.push(ACTIONS[0]!(i++)); // pad with read-only steps so the playbook stays clean
  body.push('  - id: review\n    action: postmortem\n    due: 48h\n');
  return head + body.join('');
}
