/** PB104 plain-text-secret: input snippet → the exact secret flagged and its kind; placeholders stay quiet. */
import assert from 'node:assert/strict';
import { runRule, secondStepPlaybook } from './helpers/runRule.js';
import { describe, test } from 'node:test';
import { parsePlaybook } from '../../server/src/core/parse/parsePlaybook.js';
import { PB104 } from '../../server/src/core/rules/PB104.js';
import type { RuleDefinition } from '../../server/src/core/rules/rule.js';
import { findSecrets, isPlaceholder, SECRET_PATTERNS } from '../../server/src/core/security/secretPatterns.js';
import { commentSpans, textSpans } from '../../server/src/core/security/scalars.js';
import type { Finding } from '../../server/src/core/types.js';

const check = (rule: RuleDefinition, text: string): Finding[] => runRule(rule, text);

/** A playbook whose second step runs a command and carries `body`. */
const playbook = (body: string): string => secondStepPlaybook(`    action: run\n${body}`);

/** `snippet` as the lines of a literal block scalar, so it needs no YAML quoting. */
function inNotes(snippet: string): string {
  return playbook(`    command: systemctl restart api\n    notes: |\n${snippet.split('\n').map((l) => `      ${l}\n`).join('')}`);
}

type Flag = [kind: string, flagged: string];

function assertSecrets(text: string, expected: Flag[]): Finding[] {
  const findings = check(PB104, text);
  const actual = findings.map((f): Flag => [String(f.data?.kind), text.slice(f.range.start, f.range.end)]);
  assert.deepEqual(actual, expected);
  return findings;
}

const GHP = 'ghp_aB3dE5gH7jK9mN1pQ3sT5vX7zA9cE1gI3kM5';
const JWT = 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIn0.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c';
const AWS_SECRET = 'Zk3p9Qw8Rt2Yx7Lm4Nb6Vc1Hd5Gf0Js8Ka3Pe9Ui';
const PEM = `-----BEGIN RSA PRIVATE KEY-----
MIIEowIBAAKCAQEA3Tz2mr7SZiAMfQyuvBjM9Oi0tJQ7dTPk5+ZmW8fH0aQ1bX2c
Hk8cI0dMB1bYq2E9R1xv5zVQp3nW7hPqfRkXo4Ly6tUe8Ws0gJcN2aDmFbKiTl3v
-----END RSA PRIVATE KEY-----`;

const TRUE_POSITIVES: Array<[snippet: string, kind: string, flagged: string]> = [
  ['export AWS_ACCESS_KEY_ID=AKIAZ7VRSQ5NQMXKLPTC', 'aws-access-key-id', 'AKIAZ7VRSQ5NQMXKLPTC'],
  ['session key ASIAY34FZKBOKMUTVV7A from sts', 'aws-access-key-id', 'ASIAY34FZKBOKMUTVV7A'],
  [`aws_secret_access_key = ${AWS_SECRET}`, 'aws-secret-access-key', AWS_SECRET],
  [`git clone https://x-access-token:${GHP}@github.com/acme/app`, 'github-token', GHP],
  ['GH_TOKEN=github_pat_11ABCDEFG0aBcDeFgHiJkL_mNoPqRsTuVwXyZ0123456789aBcDeFgHiJkLmNoPqRsTuVwXyZ01', 'github-token',
    'github_pat_11ABCDEFG0aBcDeFgHiJkL_mNoPqRsTuVwXyZ0123456789aBcDeFgHiJkLmNoPqRsTuVwXyZ01'],
  ['glab auth login --token glpat-Zr8Kd2VbN5qLx7Ws4TmY', 'gitlab-token', 'glpat-Zr8Kd2VbN5qLx7Ws4TmY'],
  ['SLACK_BOT_TOKEN=xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx', 'slack-token', 'xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx'],
  ['app token xapp-1-A01BC2DE3FG-1234567890123-a1b2c3d4e5f6', 'slack-token', 'xapp-1-A01BC2DE3FG-1234567890123-a1b2c3d4e5f6'],
  ['post to https://hooks.slack.com/services/T024BE7LD/B01ABCD2EFG/r4nd0mS3cr3tV4lu3abcDEF1 now', 'slack-webhook',
    'https://hooks.slack.com/services/T024BE7LD/B01ABCD2EFG/r4nd0mS3cr3tV4lu3abcDEF1'],
  [`cookie session=${JWT}`, 'jwt', JWT],
  [PEM, 'private-key', PEM.replace(/\n/g, '\n      ')], // as indented in the block scalar
  ['STRIPE_KEY=sk_live_4eC39HqLyjWDarjtT1zdp7dc', 'stripe-key', 'sk_live_4eC39HqLyjWDarjtT1zdp7dc'],
  ['maps key AIzaSyD-9tSrke72PouQMnMX-a7eZSW0jkFMBWY', 'google-api-key', 'AIzaSyD-9tSrke72PouQMnMX-a7eZSW0jkFMBWY'],
  ['psql postgres://app:Xy7pQ2rS@db.internal:5432/app', 'url-credentials', 'Xy7pQ2rS'],
  ['mysql -u root --password=hunter2 -e "select 1"', 'password', 'hunter2'],
  ['PGPASSWORD=Sup3rS3cret psql -h db', 'password', 'Sup3rS3cret'],
  ['curl -H "Authorization: Bearer 9f8e7d6c5b4a39281706f5e4d3c2b1a0" https://api', 'bearer-token', '9f8e7d6c5b4a39281706f5e4d3c2b1a0'],
  ['curl -H "Authorization: Basic dXNlcjpodW50ZXIy" https://api', 'basic-auth', 'dXNlcjpodW50ZXIy'],
  ['token: S3cr3tT0k3nV4lue', 'token', 'S3cr3tT0k3nV4lue'],
  ['curl "https://api/v1?api_key=Q29ycmVjdEhvcnNl&x=1"', 'api-key', 'Q29ycmVjdEhvcnNl'],
  ['curl -d \'{"password": "p@ss w0rd!"}\' https://login', 'password', 'p@ss w0rd!'],
  ['client_secret=Zx9kLm2Qp7Wd', 'secret', 'Zx9kLm2Qp7Wd'],
  ['vault login --token hvs9xKq2LmP7Rt', 'token', 'hvs9xKq2LmP7Rt'],
  ['Password: Tr0ub4dor&3.', 'password', 'Tr0ub4dor'],
  ['npm config set //registry/:_authToken npm_aB3dE5gH7jK9mN1pQ3sT5vX7zA9cE1gI3kM5', 'npm-token', 'npm_aB3dE5gH7jK9mN1pQ3sT5vX7zA9cE1gI3kM5'],
];

const PLACEHOLDERS: string[] = [
  'mysql -u root --password=${DB_PASSWORD}',
  'mysql -u root --password=$DB_PASSWORD',
  'mysql --password="$(cat /run/secrets/db)"',
  'password: "{{ vault:payments/db }}"',
  'token={{ secrets.DEPLOY_TOKEN }}',
  'curl -H "Authorization: Bearer <token>" https://api',
  'curl -H "Authorization: Bearer ${TOKEN}" https://api',
  'password=<redacted>',
  'password=***',
  'password=REDACTED',
  'password=changeme',
  'api_key=xxxxxxxxxxxxxxxx',
  'AWS docs use AKIAIOSFODNN7EXAMPLE as the key id',
  'aws_secret_access_key=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  `token ${'ghp_' + 'x'.repeat(36)}`,
  'SLACK_BOT_TOKEN=xoxb-your-token-here',
  'https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX',
  'rotate secret: payments/db-password',
  'see vault:payments/stripe-key for the key',
  'the token: rotated daily by the platform',
  'ask for the token: https://wiki.internal/break-glass',
  'secret: 2024-rotation of payments-db',
  "kubectl get secret db-password -o jsonpath='{.data.password}'",
  'psql postgres://app:${DB_PASS}@db.internal/app',
  '-----BEGIN PRIVATE KEY-----\n...\n-----END PRIVATE KEY-----',
  'grep -l "-----BEGIN RSA PRIVATE KEY-----" in the logs',
  'echo "$REGISTRY_TOKEN" | docker login --password-stdin',
  'mysql --password-file=/etc/mysql/secret.cnf',
  'set DB_PASSWORD=%DB_PASSWORD%',
  'STRIPE_KEY=sk_test_4eC39HqLyjWDarjtT1zdp7dc is a test-mode key',
  'kubectl create secret generic db --from-literal=password=$(openssl rand -hex 16)',
  'api_key: your-api-key',
  'GH_TOKEN="$(vault kv get -field=token secret/incident/github)" gh run list',
];

describe('PB104 plain-text-secret', () => {
  describe('flags each kind of secret, exactly', () => {
    for (const [snippet, kind, flagged] of TRUE_POSITIVES) {
      test(`${kind}: ${snippet.split('\n')[0]}`, () => void assertSecrets(inNotes(snippet), [[kind, flagged]]));
    }
  });

  describe('leaves placeholders, references and mentions alone', () => {
    for (const snippet of PLACEHOLDERS) test(snippet.split('\n')[0], () => void assertSecrets(inNotes(snippet), []));
  });

  test('the baseline playbook has no findings', () => void assertSecrets(playbook('    command: systemctl restart api\n'), []));

  test('a double-quoted scalar with escapes maps the range onto the source text', () => {
    const text = playbook('    command: "mysql \\"--password=Tr0ub4dor\\" \\u00e9\\tPGPASSWORD=hunter2\\nAKIAZ7VRSQ5NQMXKLPTC"\n');
    assertSecrets(text, [['password', 'Tr0ub4dor'], ['password', 'hunter2'], ['aws-access-key-id', 'AKIAZ7VRSQ5NQMXKLPTC']]);
  });

  test('a block scalar (`run: |`) maps ranges line by line, with the step index', () => {
    const text = playbook(`    command: |
      echo start
      export AWS_ACCESS_KEY_ID=AKIAZ7VRSQ5NQMXKLPTC
      curl -H "Authorization: Bearer 9f8e7d6c5b4a39281706f5e4d3c2b1a0" https://api
`);
    const findings = assertSecrets(text, [['aws-access-key-id', 'AKIAZ7VRSQ5NQMXKLPTC'], ['bearer-token', '9f8e7d6c5b4a39281706f5e4d3c2b1a0']]);
    assert.deepEqual(findings.map((f) => f.stepIndex), [1, 1]);
  });

  test('a folded block scalar and a single-quoted scalar', () => {
    const text = playbook(`    command: >-
      mysql -u root
      --password=hunter2
    notes: 'it''s in ${GHP}'
`);
    assertSecrets(text, [['password', 'hunter2'], ['github-token', GHP]]);
  });

  test('comments are scanned too, anywhere in the file', () => {
    const text = `# deploy token ${GHP}\n${playbook('    command: ls  # password=hunter2\n')}`;
    const findings = assertSecrets(text, [['github-token', GHP], ['password', 'hunter2']]);
    assert.equal(findings[0]!.stepIndex, undefined);
    assert.equal(findings[1]!.stepIndex, 1);
    assert.match(findings[1]!.message, /^step `fix`: this comment holds what looks like a password in plain text/);
  });

  test('keys are scanned too', () => {
    assertSecrets(playbook('    command: ls\n    notes:\n      AKIAZ7VRSQ5NQMXKLPTC: old key\n'), [['aws-access-key-id', 'AKIAZ7VRSQ5NQMXKLPTC']]);
  });

  test('a YAML pair whose key names a secret flags its value', () => {
    const text = playbook('    command: ls\n    env:\n      DB_PASSWORD: letmein\n      api-key: "Q29ycmVjdEhvcnNl"\n      token: ${TOKEN}\n');
    assertSecrets(text, [['password', 'letmein'], ['api-key', 'Q29ycmVjdEhvcnNl']]);
  });

  test('the `secret` of a rotate-secret step is a name, not a secret', () => {
    const text = playbook(`    command: ls
  - id: rotate
    action: rotate-secret
    secret: stripe-key
  - id: rotate-2
    action: rotate-secret
    secret: vault:payments/stripe-key
  - id: rotate-3
    action: rotate-secret
    secret: payments/db-password
`);
    assertSecrets(text, []);
  });

  test('a rotate-secret step that holds the secret itself is flagged', () => {
    const text = playbook('    command: ls\n  - id: rotate\n    action: rotate-secret\n    secret: sk_live_4eC39HqLyjWDarjtT1zdp7dc\n');
    assertSecrets(text, [['stripe-key', 'sk_live_4eC39HqLyjWDarjtT1zdp7dc']]);
  });

  test('flow collections and plain multi-line scalars', () => {
    const text = playbook(`    command: ls\n    tags: [a, "b", ${GHP}]\n    title: mysql
      --password=hunter2\n`);
    assertSecrets(text, [['github-token', GHP], ['password', 'hunter2']]);
  });

  test('the message names the kind and the step, and never echoes more than 4 characters', () => {
    const [finding] = assertSecrets(inNotes(`token ${GHP}`), [['github-token', GHP]]);
    assert.equal(finding!.severity, 'error');
    assert.equal(finding!.ruleId, 'PB104');
    assert.match(finding!.message, /^step `fix`: this looks like a GitHub token \(`ghp_…`\) in plain text/);
    assert.match(finding!.message, /rotate it/);
    assert.match(finding!.message, /`\$\{NAME\}` or `\{\{ vault:path \}\}`/);
    assert.ok(!finding!.message.includes(GHP.slice(0, 5)));
    const [short] = assertSecrets(inNotes('--password=hunter2'), [['password', 'hunter2']]);
    assert.ok(!short!.message.includes('hunt'), 'a password is not previewed at all');
    const [long] = assertSecrets(inNotes('token: S3cr3tT0k3nV4lue'), [['token', 'S3cr3tT0k3nV4lue']]);
    assert.ok(!long!.message.includes('s3cr'), 'nor is a long token without a public prefix');
  });

  test('a secret outside any step has no step index and no step label', () => {
    const text = `title: "token: S3cr3tT0k3nV4lue"\n${playbook('    command: ls\n')}`;
    const [finding] = assertSecrets(text, [['token', 'S3cr3tT0k3nV4lue']]);
    assert.equal(finding!.stepIndex, undefined);
    assert.match(finding!.message, /^this looks like a token in plain text/);
  });

  test('a refused (binary) document yields nothing', () => void assertSecrets(`password=hunter2\u0000`, []));
});

describe('scalar and comment spans', () => {
  test('every span holds exactly the source text at its range', () => {
    const text = `${playbook(`    command: |  # header ${GHP}\n      echo "a"\n    notes: "q\\"x" # tail\n`)}# end\n`;
    const spans = textSpans(parsePlaybook(text));
    for (const span of spans) assert.equal(text.slice(span.range.start, span.range.end), span.source);
    assert.deepEqual(commentSpans(text).map((c) => c.source), [`# header ${GHP}`, '# tail', '# end']);
    assert.ok(spans.some((s) => s.source === '      echo "a"\n'), 'a block scalar starts after its header line');
    assert.ok(spans.some((s) => s.source === '"q\\"x"'), 'a quoted scalar keeps its quotes and escapes');
  });
});

describe('comment spans', () => {
  const CASES: Array<[text: string, comments: string[]]> = [
    ['a: |\n  # block content, not a comment\n  x\n# real\n', ['# real']],
    ['c: [p, # in flow\n  q] # after\n', ['# in flow', '# after']],
    ["k: 'it''s # quoted' # yes\n", ['# yes']],
    ['%YAML 1.2 # directive\n---\na: !!str # tag\n  v\n... # end\n', ['# directive', '# tag', '# end']],
    ['\uFEFF# after a byte-order mark\na: 1\n', ['# after a byte-order mark']],
    ['a: "unterminated # x\n', []],
  ];
  for (const [text, comments] of CASES) {
    test(JSON.stringify(text), () => {
      const spans = commentSpans(text);
      assert.deepEqual(spans.map((c) => text.slice(c.range.start, c.range.end)), comments);
    });
  }
});

describe('secret patterns on hostile input', () => {
  const HOSTILE = [
    'a'.repeat(1e5), '='.repeat(1e5), 'eyJ'.repeat(3e4), '-----BEGIN '.repeat(1e4), 'curl '.repeat(2e4),
    '-----BEGIN PRIVATE KEY-----'.repeat(4e3), 'eyJa.'.repeat(2e4), 'password'.repeat(12500), 'a_'.repeat(5e4),
    'https://'.repeat(12500), 'A'.repeat(1e5), 'ghp_'.repeat(25000), 'x:'.repeat(5e4), `${'a'.repeat(1e5)}@`,
    `Bearer ${'a'.repeat(1e5)}`, `-----BEGIN PRIVATE KEY-----${'A'.repeat(1e5)}`,
  ];
  test('every pattern completes on 100,000-character adversarial strings', () => {
    for (const input of HOSTILE) {
      for (const { id, regex } of SECRET_PATTERNS) {
        regex.lastIndex = 0;
        let count = 0;
        for (let m = regex.exec(input); m; m = regex.exec(input)) count++;
        assert.ok(count >= 0, `${id} ran`);
      }
    }
  });
  test('and none of these strings is taken for a secret', () => {
    for (const input of HOSTILE.slice(0, 7)) assert.deepEqual(findSecrets(input), [], input.slice(0, 20));
  });
  test('a real secret after a hostile prefix is still found at the right offset', () => {
    const input = `${'='.repeat(1e5)} ${GHP}`;
    assert.deepEqual(findSecrets(input).map((m) => [m.id, m.start, m.secret]), [['github-token', 100001, GHP]]);
  });
  test('isPlaceholder runs on long values', () => assert.equal(isPlaceholder('a/'.repeat(5e4)), false));
});
