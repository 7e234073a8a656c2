/** Generated playbooks for benchmarks: realistic step mixes, valid, any size. */
const ACTIONS = [
  (i: number) => `  - id: look-${i}\n    action: diagnose\n    run: kubectl -n checkout get pods -l app=api-${i}\n`,
  (i: number) => `  - id: gate-${i}\n    action: checkpoint\n    kind: security-review\n    approvers: [security]\n`,
  (i: number) => `  - id: roll-back-${i}\n    action: rollback\n    service: checkout\n    to: 2.3.1\n    on-failure: escalate-${i}\n`,
  (i: number) => `  - id: tell-${i}\n    action: notify\n    channel: security\n    message: "rolled back (${i})"\n`,
  (i: number) => `  - id: escalate-${i}\n    action: escalate\n    to: incident-commander\n`,
];

export function generatePlaybook(steps: number): string {
  const head = header(`generated-${steps}`, `Generated playbook with ${steps} steps`, '  incident: "#inc"\n');
  const body: string[] = [];
  let i = 0;
  for (; body.length + ACTIONS.length <= steps - 1; i++) for (const make of ACTIONS) body.push(make(i));
  while (body.length < steps - 1) body.push(ACTIONS[0]!(i++)); // pad with read-only steps so the playbook stays clean
  body.push('  - id: review\n    action: postmortem\n    due: 48h\n');
  return head + body.join('');
}

/**
 * The path rules' worst case: every block branches (a probe that fails over to a fallback, both
 * joining), and changes with no checkpoint or notification before or after them, so PB100 and
 * PB102 flag every rollback with more than 1,000 paths, and PB106 every grant (each with a revoke
 * of its own on some other branch, so no two accesses share a search).
 */
export function generateBranchingPlaybook(steps: number): string {
  const head = header(`branching-${steps}`, `Generated playbook with ${steps} steps that branch everywhere`);
  const body: string[] = [];
  for (let i = 0; body.length + 5 <= steps - 1; i++) {
    const grants = i % 10 === 0;
    body.push(`  - id: probe-${i}\n    action: diagnose\n    query: up{job="api-${i}"} == 1\n    on-failure: fallback-${i}\n`);
    body.push(grants
      ? `  - id: grant-${i}\n    action: access-grant\n    principal: oncall-${i}@acme.example\n    role: admin\n    duration: 1h\n    next: join-${i}\n    on-failure: continue\n`
      : `  - id: roll-back-${i}\n    action: rollback\n    service: checkout\n    to: 2.3.1\n    next: join-${i}\n    on-failure: continue\n`);
    body.push(grants
      ? `  - id: fallback-${i}\n    action: access-revoke\n    principal: oncall-${i}@acme.example\n    role: admin\n    on-failure: continue\n`
      : `  - id: fallback-${i}\n    action: diagnose\n    query: up{job="api-${i}-fallback"} == 1\n    on-failure: continue\n`);
    body.push(`  - id: join-${i}\n    action: wait\n    duration: 1m\n    on-failure: continue\n`);
    body.push(`  - id: look-${i}\n    action: diagnose\n    run: kubectl -n checkout get pods -l app=api-${i}\n    on-failure: continue\n`);
  }
  while (body.length < steps - 1) body.push(ACTIONS[0]!(body.length));
  body.push('  - id: review\n    action: postmortem\n    due: 48h\n');
  return head + body.join('');
}

/** The part before the steps: one service with three releases, owners, the security channel. */
function header(id: string, title: string, moreChannels = ''): string {
  return `playbook: ${id}
title: ${title}
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
${moreChannels}steps:
`;
}
