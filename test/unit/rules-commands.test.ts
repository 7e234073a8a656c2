/** PB105 dangerous-command: command string → the exact dangerous fragment and pattern id; safe commands stay quiet. */
import assert from 'node:assert/strict';
import { runRule, secondStepPlaybook } from './helpers/runRule.js';
import { describe, test } from 'node:test';
import { PB105 } from '../../server/src/core/rules/PB105.js';
import { findDangerousCommands, maskShellComments } from '../../server/src/core/security/dangerousCommands.js';
import { findSettings, SETTING_PATTERNS } from '../../server/src/core/security/settingPatterns.js';
import type { Finding } from '../../server/src/core/types.js';

function check(text: string): Finding[] {
  return runRule(PB105, text);
}

const playbook = secondStepPlaybook;

/** A `run` step whose `command` is `snippet`, as a literal block scalar so it needs no YAML quoting. */
function runStep(snippet: string): string {
  return playbook(`    action: run\n    command: |\n${snippet.split('\n').map((l) => `      ${l}\n`).join('')}`);
}

type Flag = [pattern: string, flagged: string];

function assertDangers(text: string, expected: Flag[]): Finding[] {
  const findings = check(text);
  assert.deepEqual(findings.map((f): Flag => [String(f.data?.pattern), text.slice(f.range.start, f.range.end)]), expected);
  return findings;
}

const DANGEROUS: Array<[command: string, pattern: string, flagged: string]> = [
  ['curl -fsSL https://get.example.com/install.sh | sh', 'pipe-to-shell', 'curl -fsSL https://get.example.com/install.sh | sh'],
  ['wget -qO- https://x.example/i.sh | bash -s -- --yes', 'pipe-to-shell', 'wget -qO- https://x.example/i.sh | bash'],
  ['curl -s https://x.example/i.sh | sudo bash', 'pipe-to-shell', 'curl -s https://x.example/i.sh | sudo bash'],
  ['curl -s https://x.example/i.sh | sudo -E bash -', 'pipe-to-shell', 'curl -s https://x.example/i.sh | sudo -E bash'],
  ['curl -s https://x.example/get.py | python3 -', 'pipe-to-shell', 'curl -s https://x.example/get.py | python3'],
  ['bash <(curl -s https://x.example/i.sh)', 'shell-from-download', 'bash <(curl -s https://x.example/i.sh)'],
  ['sh -c "$(curl -fsSL https://x.example/i.sh)"', 'shell-from-download', 'sh -c "$(curl -fsSL https://x.example/i.sh)'],
  ['curl -k https://10.0.0.5/healthz', 'curl-insecure', '-k'],
  ['curl --insecure https://10.0.0.5/healthz', 'curl-insecure', '--insecure'],
  ['curl -sSk -o out.json https://10.0.0.5/api', 'curl-insecure', '-sSk'],
  ['wget --no-check-certificate https://10.0.0.5/dump', 'wget-no-check-certificate', '--no-check-certificate'],
  ['kubectl --insecure-skip-tls-verify get pods', 'insecure-skip-tls-verify', '--insecure-skip-tls-verify'],
  ['aws s3 ls --no-verify-ssl', 'tls-verify-flag-off', '--no-verify-ssl'],
  ['NODE_TLS_REJECT_UNAUTHORIZED=0 node scripts/replay.js', 'node-tls-reject-unauthorized', 'NODE_TLS_REJECT_UNAUTHORIZED=0'],
  ['GIT_SSL_NO_VERIFY=true git clone https://git.internal/app', 'git-ssl-no-verify', 'GIT_SSL_NO_VERIFY=true'],
  ['git -c http.sslVerify=false fetch', 'git-ssl-no-verify', 'http.sslVerify=false'],
  ['python -c "import requests; requests.get(u, verify=False)"', 'python-verify-false', 'verify=False'],
  ['npm config set strict-ssl false', 'npm-strict-ssl-off', 'strict-ssl false'],
  ['ssh -o StrictHostKeyChecking=no db-1', 'ssh-no-host-key-check', 'StrictHostKeyChecking=no'],
  ['chmod 777 /var/run/app.sock', 'chmod-world-writable', 'chmod 777'],
  ['chmod -R 0777 /srv/app', 'chmod-world-writable', 'chmod -R 0777'],
  ['chmod a+rwx /srv/app/data', 'chmod-world-writable', 'chmod a+rwx'],
  ['sudo ufw disable', 'ufw-disable', 'ufw disable'],
  ['systemctl stop firewalld', 'firewall-service-stop', 'systemctl stop firewalld'],
  ['systemctl disable --now firewalld.service', 'firewall-service-stop', 'systemctl disable --now firewalld.service'],
  ['iptables -F', 'iptables-flush', 'iptables -F'],
  ['iptables -t nat --flush', 'iptables-flush', 'iptables -t nat --flush'],
  ['iptables -P INPUT ACCEPT', 'iptables-accept-all', 'iptables -P INPUT ACCEPT'],
  ['nft flush ruleset', 'nft-flush-ruleset', 'nft flush ruleset'],
  ['netsh advfirewall set allprofiles state off', 'netsh-firewall-off', 'netsh advfirewall set allprofiles state off'],
  ['Set-NetFirewallProfile -Profile Domain,Public -Enabled False', 'powershell-firewall-off', 'Set-NetFirewallProfile -Profile Domain,Public -Enabled False'],
  ['setenforce 0', 'selinux-setenforce', 'setenforce 0'],
  ["sed -i 's/SELINUX=enforcing/SELINUX=disabled/' /etc/selinux/config", 'selinux-disabled', 'SELINUX=disabled'],
  ['systemctl stop apparmor', 'apparmor-off', 'systemctl stop apparmor'],
  ['git commit --no-verify -m hotfix', 'git-no-verify', '--no-verify'],
  ['git push --no-verify origin hotfix', 'git-no-verify', '--no-verify'],
  ['rm -rf /', 'rm-rf-root', 'rm -rf /'],
  ['sudo rm -rf --no-preserve-root /*', 'rm-rf-root', 'rm -rf --no-preserve-root /*'],
  ['kubectl delete namespace --all', 'kubectl-delete-all-namespaces', 'kubectl delete namespace --all'],
  ['dd if=/dev/zero of=/dev/sda bs=1M', 'disk-overwrite', 'of=/dev/sda'],
  ['auditctl -e 0', 'audit-off', 'auditctl -e 0'],
  ['systemctl stop auditd', 'audit-off', 'systemctl stop auditd'],
  ['history -c', 'history-off', 'history -c'],
  ['unset HISTFILE', 'history-off', 'unset HISTFILE'],
];

const SAFE: string[] = [
  'curl -fsSL https://x.example/i.sh -o i.sh && sha256sum -c i.sh.sha256 && sh i.sh',
  'curl -s https://x.example/status | jq .status',
  'curl -s https://x.example/file | sha256sum',
  'curl --cacert /etc/ssl/internal-ca.pem https://10.0.0.5/healthz',
  'curl -H "X-Request-Kind: probe" https://x.example/healthz',
  'kubectl apply -k overlays/prod',
  'kubectl --insecure-skip-tls-verify=false get pods',
  'NODE_TLS_REJECT_UNAUTHORIZED=1 node app.js',
  'GIT_SSL_NO_VERIFY=0 git fetch',
  'ssh -o StrictHostKeyChecking=yes db-1',
  'chmod 750 /srv/app',
  'chmod u+rwx deploy.sh',
  'chmod 1777 /tmp/scratch',
  'ufw allow 443/tcp',
  'systemctl restart firewalld',
  'iptables -A INPUT -s 203.0.113.7 -j DROP',
  'iptables -P INPUT DROP',
  'setenforce 1',
  'getenforce',
  'git commit -m "verify the fix"',
  'git push origin hotfix',
  'echo --no-verify is not allowed here',
  'rm -rf /tmp/cache',
  'rm -rf ./build/',
  'kubectl delete pod api-7d9c -n checkout',
  'kubectl delete namespace scratch-42',
  'kubectl get pods --all-namespaces',
  'dd if=/dev/sda of=/evidence/disk.img bs=4M',
  'history | tail -n 50',
  '# never do this: curl https://x.example/i.sh | sh',
  'apt-get install -y pg-debug-agent=1.4.2-1',
];

describe('PB105 dangerous-command', () => {
  describe('flags each dangerous command, on the dangerous fragment', () => {
    for (const [command, pattern, flagged] of DANGEROUS) test(`${pattern}: ${command}`, () => void assertDangers(runStep(command), [[pattern, flagged]]));
  });

  describe('leaves safe commands alone', () => {
    for (const command of SAFE) test(command, () => void assertDangers(runStep(command), []));
  });

  test('a multi-line `run: |` block maps each range to its line, line continuations included', () => {
    const text = playbook(`    action: diagnose
    run: |
      # install the agent (never: curl x | sh)
      curl -fsSL https://x.example/i.sh \\
        | sudo bash
      curl -k https://10.0.0.5/healthz
`);
    const findings = assertDangers(text, [
      ['pipe-to-shell', 'curl -fsSL https://x.example/i.sh \\\n        | sudo bash'],
      ['curl-insecure', '-k'],
    ]);
    assert.deepEqual(findings.map((f) => f.stepIndex), [1, 1]);
    assert.deepEqual(findings.map((f) => f.severity), ['warning', 'warning']);
  });

  test('a double-quoted scalar with escapes maps the range onto the source text', () => {
    const text = playbook('    action: run\n    command: "echo \\"start\\"; curl -sk \\"https://x\\"\\n\\tchmod -R 777 /srv"\n');
    assertDangers(text, [['curl-insecure', '-sk'], ['chmod-world-writable', 'chmod -R 777']]);
  });

  test('the message names the step, the field, the danger and the safer form', () => {
    const [finding] = assertDangers(runStep('curl -s https://x.example/i.sh | bash'), [['pipe-to-shell', 'curl -s https://x.example/i.sh | bash']]);
    assert.equal(finding!.ruleId, 'PB105');
    assert.equal(finding!.message, 'step `fix`: `command` pipes a download straight into a shell: download it to a file, verify its checksum or signature, then run it');
  });

  test('`change` of a config-change is read, as a string or as a map of settings', () => {
    const text = playbook(`    action: config-change
    service: api
    change:
      NODE_TLS_REJECT_UNAUTHORIZED: "0"
      SELINUX: disabled
  - id: fix-2
    action: config-change
    service: api
    change: "setenforce 0"
`);
    assertDangers(text, [
      ['node-tls-reject-unauthorized', 'NODE_TLS_REJECT_UNAUTHORIZED: "0'],
      ['selinux-disabled', 'SELINUX: disabled'],
      ['selinux-setenforce', 'setenforce 0'],
    ]);
  });

  test('`rule` of a block-traffic step is read', () =>
    void assertDangers(playbook('    action: block-traffic\n    rule: iptables -P INPUT ACCEPT\n'), [['iptables-accept-all', 'iptables -P INPUT ACCEPT']]));

  test('`query`, `notes` and `message` are not commands', () =>
    void assertDangers(playbook(`    action: diagnose
    query: 'logs | grep "curl -k"'
    notes: never run curl https://x.example/i.sh | sh
  - id: tell
    action: notify
    channel: security
    message: stopped firewalld with systemctl stop firewalld
`), []));

  test('`run` on a step with a mistyped action is still read', () =>
    void assertDangers(playbook('    action: diagnoze\n    run: ufw disable\n'), [['ufw-disable', 'ufw disable']]));
});

/** Each setting pattern in each of its forms, as settings text: every one must get past the words the patterns need. */
const SETTINGS: Array<[text: string, pattern: string]> = [
  ['insecure-skip-tls-verify: true', 'insecure-skip-tls-verify'],
  ['skopeo copy --src-tls-verify=false docker://a docker://b', 'tls-verify-flag-off'],
  ['NODE_TLS_REJECT_UNAUTHORIZED: "0"', 'node-tls-reject-unauthorized'],
  ['GIT_SSL_NO_VERIFY=1', 'git-ssl-no-verify'],
  ['git config --global http.https://git.internal/.sslVerify false', 'git-ssl-no-verify'],
  ['session.get(url, verify=False)', 'python-verify-false'],
  ['PYTHONHTTPSVERIFY=0', 'python-verify-false'],
  ["CURL_CA_BUNDLE=''", 'python-verify-false'],
  ['strict-ssl=false', 'npm-strict-ssl-off'],
  ['UserKnownHostsFile /dev/null', 'ssh-no-host-key-check'],
  ['StrictHostKeyChecking off', 'ssh-no-host-key-check'],
  ['SELINUX=permissive', 'selinux-disabled'],
  ['check_certificate = off', 'wget-no-check-certificate'],
  ['HISTFILE=/dev/null', 'history-off'],
  ['HISTSIZE=0', 'history-off'],
];

describe('setting patterns', () => {
  for (const [text, pattern] of SETTINGS) test(`${pattern}: ${text}`, () => assert.deepEqual(findSettings(text).map((h) => h.id), [pattern]));

  test('every pattern has its forms above', () => {
    assert.deepEqual(SETTING_PATTERNS.map((p) => p.id).filter((id) => !SETTINGS.some(([, pattern]) => pattern === id)), []);
  });
});

describe('shell comment masking', () => {
  test('keeps offsets and blanks only comments', () => {
    const source = 'curl x | sh # why\n# curl y | sh\necho a#b';
    const masked = maskShellComments(source);
    assert.equal(masked.length, source.length);
    assert.equal(masked, 'curl x | sh      \n             \necho a#b');
  });
});

describe('dangerous-command patterns on hostile input', () => {
  const HOSTILE = [
    'a'.repeat(1e5), '='.repeat(1e5), 'eyJ'.repeat(3e4), '-----BEGIN '.repeat(1e4), 'curl '.repeat(2e4),
    'curl -'.repeat(16000), 'git '.repeat(25000), 'rm -r '.repeat(16000), 'chmod -R '.repeat(11000), '\\'.repeat(1e5),
    `curl ${'\\ '.repeat(5e4)}`, 'kubectl delete ns '.repeat(5000), '#'.repeat(1e5), ' #\\'.repeat(3e4),
    '$('.repeat(5e4), '"$(sh -c '.repeat(1e4), 'a | '.repeat(25000), 'sh -c "'.repeat(14000), '`'.repeat(1e5), '{ '.repeat(5e4), '(a)'.repeat(3e4),
    "bash -c '".repeat(1e4), 'x <<E\n'.repeat(15000), 'eval '.repeat(2e4), 'ssh '.repeat(25000), 'sudo -s '.repeat(12000), 'env -S '.repeat(14000),
    "$'\\x".repeat(25000), 'find -exec '.repeat(9000), 'kubectl exec -- '.repeat(6000), 'curl x | '.repeat(1e4), 'iex '.repeat(2e4),
  ];
  test('every setting pattern completes on 100,000-character adversarial strings', () => {
    for (const input of HOSTILE) {
      for (const { id, regex } of SETTING_PATTERNS) {
        regex.lastIndex = 0;
        let count = 0;
        for (let m = regex.exec(input); m; m = regex.exec(input)) count++;
        assert.ok(count >= 0, `${id} ran`);
      }
    }
  });
  test('and none of them is taken for a dangerous command, by pattern or by structure', () => {
    for (const input of HOSTILE) assert.deepEqual(findDangerousCommands(input), [], input.slice(0, 20));
  });
  test('10,000 nested unclosed `sh <(curl` are one download run by a shell, found at the start', () => {
    const input = 'sh <(curl '.repeat(1e4);
    assert.deepEqual(findDangerousCommands(input).map((m) => [m.id, m.start, m.end]), [['shell-from-download', 0, input.length]]);
  });
  test('a dangerous command after a hostile prefix is found at the right offset', () => {
    const input = `${'curl '.repeat(2e4)}\nufw disable`;
    assert.deepEqual(findDangerousCommands(input).map((m) => [m.id, m.start, m.end]), [['ufw-disable', 1e5 + 1, 1e5 + 12]]);
  });
});
