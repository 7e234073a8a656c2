/**
 * A playbook with a secret of every shape PB104 knows, each where some output echoes it (commands,
 * queries, messages, channel targets, versions, principals, a step id, the title, a suppression
 * reason), plus the cases that fool a naive redaction: a secret cut by a one-line summary, one
 * written with YAML escapes, one in a block scalar, one written twice, one under a suppressed PB104
 * finding, one reached through an alias. `assertNoSecret` checks an output against the list.
 */
import assert from 'node:assert/strict';

const SLACK_HOOK = 'https://hooks.slack.com/services/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';
const GHP = 'ghp_6OG0fLzIe36ygvsGgEckRGM13UBEDVvmEgKF';
const KEY_LINES = [
  'XUd6BG62Fl094dZ5+npBfnsImPa0oVq+2dnXpnfezyHy5eWdkfbpGQSlFjH9GeZE',
  'CkHKcmK9efQWHZCPvzzQMOQm4v6I827vE7cohxosgT9fY3QPTMdJ0YP8XafxRN6k',
  'z7fuQc7/IZYnukE9qpg+6UDlsV+RbzbX2umzlL0wBkqzOy7eAa7QD2fPyKbw5Zof',
  'utRo5Yp/NG386XtpOxaz8Sqont4llKl43EvHskwkj4q/cyQSCL+72sbDDcE9V/CQ',
];

/**
 * The secret part of each secret as a report would show it (decoded, without the provider's public
 * prefix), and the PB104 kind it is, when PB104 flags it as written.
 */
export const SECRETS: ReadonlyArray<{ secret: string; kind?: string }> = [
  { secret: 'MyUsBP2485ySTrfa', kind: 'password' },
  { secret: 'CATAGDYBL6HCQR6I', kind: 'aws-access-key-id' },
  { secret: 'HVQCITQbthyxVPRQ3h6hY3ca0Q+vfRqezrQlBGXw', kind: 'aws-secret-access-key' },
  { secret: '6OG0fLzIe36ygvsGgEckRGM13UBEDVvmEgKF', kind: 'github-token' },
  { secret: 'Gt6g4t7dmWwKj2v2BSBnmP_YyGf1KuTe0EWotnG3ZoVsbZZXvAAWzEqWBcA6yT1K3Za9sRck4bMtwK5yDU', kind: 'github-token' },
  { secret: 'Ki0dqroZ8bBepIrw0tUV', kind: 'gitlab-token' },
  { secret: 'TAMEMFFCC/B8YCL7PVV/sYL0m2fgBtnJVFahSRFXEISw', kind: 'slack-webhook' },
  { secret: '931946173750-863151570725-5OZ7NjfgMUsC1nhvCIDNb76x', kind: 'slack-token' },
  { secret: 'eyJV1nSUlV1ak6wMhuXuuNSnhHpL0a5WT.2EmrVt5Y-t_hInB9mHqECeVE7_7CcAX7CH7VgVbN', kind: 'jwt' },
  { secret: 'xP8McqTxLZbqVCbEyOBnL6T0', kind: 'stripe-key' },
  { secret: 'Tg-yX_FeanVsuyMW9ZfwKm-xoHAZhOwjl0P', kind: 'google-api-key' },
  { secret: 'VYMIv7SF7hXs9TP4yUFCcO4N35lkTN2OQHCc', kind: 'npm-token' },
  { secret: 'OUPK08FaowwoojNToOm57qJ1jqp1OZEarAqss4i_5XmPsPobx06dz81do-b2', kind: 'pypi-token' },
  { secret: 'ZYAatY8632rYqcrS', kind: 'url-credentials' },
  { secret: 'AX0QclMU37dPHvBKwtEJSNAMAeeEbm18', kind: 'bearer-token' },
  { secret: 'DiE1B7vpUIRdzoqV3M7H77+Sidvr', kind: 'basic-auth' },
  { secret: 'JeSKin2586PpvNRH', kind: 'token' },
  { secret: 'XgMhlk2873cnwqmy', kind: 'api-key' },
  { secret: 'NwOfTf7926UgMiTN', kind: 'secret-key' },
  { secret: 'XWkNaZ8249tPlNAZ', kind: 'secret' },
  { secret: 'TRvuxz6870fRtbqu', kind: 'token' },
  ...KEY_LINES.map((line) => ({ secret: line, kind: 'private-key' })),
  { secret: 'vKXsPW3233KqRSza', kind: 'password' },
  { secret: 'TTCMSF3969LvkDfA', kind: 'password' },
  { secret: 'tqSfbs5889ccbTUr', kind: 'token' },
  { secret: 'RXfyRa7946boBdJt', kind: 'password' },
  { secret: 'IQHuJx4771hCMnhq', kind: 'token' },
  { secret: 'McZIrW3812zzMTum', kind: 'password' },
  { secret: 'JepkEP9426sgyUof', kind: 'token' },
  { secret: 'wZ40nQ6612bYtRLe', kind: 'password' },
  // Written with YAML escapes, so PB104 cannot see them as written; a report shows them decoded.
  { secret: 'aGmnbf6107iIKAKm' },
  { secret: 'Ungmkx7778ZJXUCV' },
];

const PAD = 'kubectl -n payments get pods --selector app=checkout';

export const SECRET_PLAYBOOK = `# A drill playbook full of secrets; none of them may show in any report.
playbook: secret-drill
title: "Drill password=McZIrW3812zzMTum"
owners:
  sre: "@sre"
  security: "@sec"
x-vault:
  db_password: &pw vKXsPW3233KqRSza
services:
  api:
    package: pkg:npm/api
    current: 1.2.0
    releases: [1.0.0, 1.1.0, 1.2.0]
channels:
  security: ${SLACK_HOOK}
  incident: "#inc"
steps:
  - id: triage
    action: diagnose
    run: PGPASSWORD=MyUsBP2485ySTrfa psql -h db.internal -c "select 1"
  - id: cut-short
    action: diagnose
    run: ${PAD} --password=wZ40nQ6612bYtRLe
  - id: aws-identity
    action: diagnose
    run: AWS_ACCESS_KEY_ID=AKIACATAGDYBL6HCQR6I aws_secret_access_key=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 aws sts get-caller-identity
  - id: recent-runs
    action: diagnose
    run: GH_TOKEN=${GHP} gh run list
  - id: pat-query
    action: diagnose
    query: repo 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
  - id: gitlab
    action: diagnose
    run: glab api projects -H "PRIVATE-TOKEN glpat-Ki0dqroZ8bBepIrw0tUV"
  - id: slack-api
    action: diagnose
    run: curl -d token=xoxb-931946173750-863151570725-5OZ7NjfgMUsC1nhvCIDNb76x https://slack.com/api/auth.test
  - id: session
    action: diagnose
    query: 'session eyJhbGciOiJIUzI1NiJ9.eyJV1nSUlV1ak6wMhuXuuNSnhHpL0a5WT.2EmrVt5Y-t_hInB9mHqECeVE7_7CcAX7CH7VgVbN'
  # playbook-ignore PB100: approved with token=tqSfbs5889ccbTUr
  - id: refund
    action: run
    command: STRIPE=sk_live_xP8McqTxLZbqVCbEyOBnL6T0 ./refund.sh
  - id: maps
    action: config-change
    service: api
    change: "maps AIzaTg-yX_FeanVsuyMW9ZfwKm-xoHAZhOwjl0P"
  - id: block-npm
    action: block-traffic
    rule: deny npm_VYMIv7SF7hXs9TP4yUFCcO4N35lkTN2OQHCc
  - id: pypi
    action: diagnose
    run: twine upload -u __token__ pypi-AgEIcHlwaS5vcmcOUPK08FaowwoojNToOm57qJ1jqp1OZEarAqss4i_5XmPsPobx06dz81do-b2
  - id: orders-db
    action: diagnose
    run: psql postgres://app:ZYAatY8632rYqcrS@db.internal:5432/orders
  - id: health
    action: diagnose
    run: 'curl -H "Authorization: Bearer AX0QclMU37dPHvBKwtEJSNAMAeeEbm18" https://api.internal/health'
  - id: admin
    action: diagnose
    run: 'curl -H "Authorization: Basic DiE1B7vpUIRdzoqV3M7H77+Sidvr" https://api.internal/admin'
  - id: migrate
    action: diagnose
    run: export DB_TOKEN=JeSKin2586PpvNRH && ./migrate --api_key=XgMhlk2873cnwqmy
  - id: sign
    action: diagnose
    run: SIGNING_KEY=NwOfTf7926UgMiTN CLIENT_SECRET=XWkNaZ8249tPlNAZ ./sign
  - id: vault-login
    action: diagnose
    run: vault login --token TRvuxz6870fRtbqu
  - id: escaped
    action: diagnose
    run: "PGPASSWORD=aGm\\x6Ebf6107iIKAKm psql; pass\\u0077ord=Ungmkx7778ZJXUCV"
  - id: through-alias
    action: diagnose
    run: *pw
  # playbook-ignore PB104: drill fixture, already rotated
  - id: suppressed-secret
    action: diagnose
    run: mysql --password=TTCMSF3969LvkDfA
  - id: gate
    action: checkpoint
    kind: security-review
  - id: install-key
    action: run
    command: |
      cat > /tmp/k <<'EOF'
      -----BEGIN RSA PRIVATE KEY-----
      ${KEY_LINES.join('\n      ')}
      -----END RSA PRIVATE KEY-----
      EOF
  - id: grant
    action: access-grant
    principal: ci-bot password=RXfyRa7946boBdJt
    role: admin
  - id: deploy-token=JepkEP9426sgyUof
    action: rollback
    service: api
    to: token=IQHuJx4771hCMnhq
  - id: tell-security
    action: notify
    channel: security
    message: "rotate ${GHP} and the webhook ${SLACK_HOOK} now"
  - id: escalate
    action: escalate
    to: incident-commander
  - id: review
    action: postmortem
    due: 48h
`;

/** Fails when `output` holds any secret, or any 8 characters in a row of one (a secret cut short still leaks). */
export function assertNoSecret(output: string, where: string): void {
  // Markdown escapes (`My\_Pass`) would hide a piece from the search, not from a reader: the text is read both ways.
  const unescaped = output.replace(/\\([!-/:-@[-`{-~])/g, '$1');
  for (const { secret } of SECRETS) {
    for (let i = 0; i + 8 <= secret.length; i++) {
      const piece = secret.slice(i, i + 8);
      const at = output.includes(piece) ? output.indexOf(piece) : unescaped.indexOf(piece);
      assert.ok(at < 0, `${where} shows ${JSON.stringify(piece)} of the secret ${JSON.stringify(secret)}: …${output.slice(Math.max(0, at - 60), at + 40)}…`);
    }
  }
}
