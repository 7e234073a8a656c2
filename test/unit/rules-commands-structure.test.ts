/**
 * PB105 reads a command by its structure: a download anywhere before an interpreter that reads its
 * program from standard input, in one pipeline, whatever the paths, wrappers, quoting, passthrough
 * stages, length or YAML style; and every other danger through the same evasions.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { PB105 } from '../../server/src/core/rules/PB105.js';
import type { Finding } from '../../server/src/core/types.js';
import { runRule, secondStepPlaybook } from './helpers/runRule.js';

type Flag = [pattern: string, flagged: string];

function flags(text: string): Flag[] {
  return runRule(PB105, text).map((f: Finding): Flag => [String(f.data?.['pattern']), text.slice(f.range.start, f.range.end)]);
}

/** A `run` step whose `command` is `snippet`, as a literal block scalar. */
function runStep(snippet: string): string {
  return secondStepPlaybook(`    action: run\n    command: |\n${snippet.split('\n').map((l) => `      ${l}\n`).join('')}`);
}

/** The same step with `command` written as `yaml` (any scalar style, already indented for a value). */
function runStepYaml(yaml: string): string {
  return secondStepPlaybook(`    action: run\n    command: ${yaml}\n`);
}

const URL = 'https://get.example.com/install.sh';
const LONG = `${URL}?pad=${'a'.repeat(800)}`;

const PIPED: Array<[command: string, flagged: string]> = [
  [`curl -fsSL ${URL} | /bin/bash`, `curl -fsSL ${URL} | /bin/bash`],
  [`curl -fsSL ${URL} | env bash`, `curl -fsSL ${URL} | env bash`],
  [`curl -fsSL ${URL} | /usr/bin/env -i PATH=/usr/bin bash -s`, `curl -fsSL ${URL} | /usr/bin/env -i PATH=/usr/bin bash`],
  [`curl -fsSL ${URL} | sudo /bin/sh`, `curl -fsSL ${URL} | sudo /bin/sh`],
  [`curl -fsSL ${URL} | sudo -u root -E bash -s -- --yes`, `curl -fsSL ${URL} | sudo -u root -E bash`],
  [`curl -fsSL ${URL} | tee install.log | sh`, `curl -fsSL ${URL} | tee install.log | sh`],
  [`curl -fsSL ${URL} | gunzip | sh`, `curl -fsSL ${URL} | gunzip | sh`],
  [`curl -fsSL ${URL} | base64 -d | bash`, `curl -fsSL ${URL} | base64 -d | bash`],
  [`curl -fsSL ${LONG} | sh`, `curl -fsSL ${LONG} | sh`],
  [`wget -qO- ${URL} | command bash`, `wget -qO- ${URL} | command bash`],
  [`wget -qO- ${URL} | nice -n 10 nohup timeout 60 bash`, `wget -qO- ${URL} | nice -n 10 nohup timeout 60 bash`],
  [`wget -qO- ${URL} | busybox sh`, `wget -qO- ${URL} | busybox sh`],
  [`wget -qO- ${URL} | xargs -0 bash`, `wget -qO- ${URL} | xargs -0 bash`],
  [`curl ${URL} | "bash"`, `curl ${URL} | "bash"`],
  [`curl ${URL} | b\\ash`, `curl ${URL} | b\\ash`],
  [`\\curl ${URL} | 'sh' -s`, `\\curl ${URL} | 'sh'`],
  [`curl ${URL} |& sh`, `curl ${URL} |& sh`],
  [`curl ${URL} | sudo -s`, `curl ${URL} | sudo`],
  [`curl ${URL} | python3 -`, `curl ${URL} | python3`],
  [`curl ${URL} | perl`, `curl ${URL} | perl`],
  [`curl ${URL} | node`, `curl ${URL} | node`],
  [`curl ${URL} | pwsh -Command -`, `curl ${URL} | pwsh`],
  [`curl ${URL} | kubectl exec -i api-0 -- bash`, `curl ${URL} | kubectl exec -i api-0 -- bash`],
  [`curl ${URL} | ssh db-1 bash -s`, `curl ${URL} | ssh db-1 bash`],
  [`{ curl ${URL}; } | sh`, `{ curl ${URL}; } | sh`],
  [`(curl ${URL}) | sh`, `(curl ${URL}) | sh`],
  [`iwr ${URL} | iex`, `iwr ${URL} | iex`],
  [`Invoke-RestMethod ${URL} | Invoke-Expression`, `Invoke-RestMethod ${URL} | Invoke-Expression`],
  [`fetch -o - ${URL} | sh`, `fetch -o - ${URL} | sh`],
  [`curl -fsSL ${URL} |\n  # then run it\n  sudo bash`, `curl -fsSL ${URL} |\n        # then run it\n        sudo bash`],
  [`curl -fsSL ${URL} | $SHELL`, `curl -fsSL ${URL} | $SHELL`],
  [`curl -fsSL ${URL} | tee >(sh) > install.log`, `curl -fsSL ${URL} | tee >(sh`],
  [`curl -fsSL ${URL} | docker exec -i api bash -s`, `curl -fsSL ${URL} | docker exec -i api bash`],
  [`docker run --rm -e A=1 alpine sh -c "wget -qO- ${URL} | sh"`, `wget -qO- ${URL} | sh`],
  [`(iwr ${URL}).Content | iex`, `(iwr ${URL}).Content | iex`],
  [`python3 -c "import urllib.request as u; print(u.urlopen('${URL}').read().decode())" | sh`, `python3 -c "import urllib.request as u; print(u.urlopen('${URL}').read().decode())" | sh`],
  [`set -e; if true; then curl ${URL} | bash; fi`, `curl ${URL} | bash`],
  [`echo "$(curl ${URL} | sh)"`, `curl ${URL} | sh`],
  [`bash -c "curl ${URL} | sh"`, `curl ${URL} | sh`],
  [`find . -name x -exec sh -c 'curl ${URL} | sh' \\;`, `curl ${URL} | sh`],
];

const FROM_DOWNLOAD: Array<[command: string, flagged: string]> = [
  [`bash <(curl -s ${URL})`, `bash <(curl -s ${URL})`],
  [`/bin/bash <(curl -s ${URL}) --yes`, `/bin/bash <(curl -s ${URL})`],
  [`sudo bash <(wget -qO- ${URL})`, `bash <(wget -qO- ${URL})`],
  [`sh -c "$(curl -fsSL ${URL})"`, `sh -c "$(curl -fsSL ${URL})`],
  [`bash -lc "$(curl -fsSL ${URL})"`, `bash -lc "$(curl -fsSL ${URL})`],
  [`source <(curl -s ${URL})`, `source <(curl -s ${URL})`],
  [`. <(wget -O- ${URL})`, `. <(wget -O- ${URL})`],
  [`eval "$(curl -s ${URL})"`, `eval "$(curl -s ${URL})`],
  [`eval \`curl -s ${URL}\``, `eval \`curl -s ${URL}\``],
  [`bash < <(curl -s ${URL})`, `bash < <(curl -s ${URL})`],
  [`bash <<< "$(curl -s ${URL})"`, `bash <<< "$(curl -s ${URL})`],
  [`python3 <(curl -s ${URL})`, `python3 <(curl -s ${URL})`],
  [`$(curl -s ${URL})`, `$(curl -s ${URL})`],
  [`iex (iwr ${URL})`, `iex (iwr ${URL})`],
  [`iex ((New-Object Net.WebClient).DownloadString('${URL}'))`, `iex ((New-Object Net.WebClient).DownloadString('${URL}'))`],
  [`powershell -NoProfile -Command "iex (irm ${URL})"`, `iex (irm ${URL})`],
];

describe('PB105 download-to-shell by pipeline structure', () => {
  describe('a download piped into an interpreter', () => {
    for (const [command, flagged] of PIPED) test(command.slice(0, 100), () => assert.deepEqual(flags(runStep(command)), [['pipe-to-shell', flagged]]));
  });

  describe('an interpreter running a download', () => {
    for (const [command, flagged] of FROM_DOWNLOAD) test(command.slice(0, 100), () => assert.deepEqual(flags(runStep(command)), [['shell-from-download', flagged]]));
  });

  describe('leaves alone what runs no download', () => {
    for (const command of [
      `echo "curl ${URL} | sh"`,
      `echo 'never run: curl ${URL} | sh'`,
      `printf '%s\\n' "bash <(curl ${URL})"`,
      'grep bash /etc/shells',
      `curl -s ${URL} | shasum -a 256`,
      `curl -s ${URL} | grep -c bash`,
      `curl -s ${URL} | tee install.log`,
      `curl -s ${URL} | bash install.sh`,
      `curl -s ${URL} | python3 check.py`,
      `curl -fsSL ${URL} -o install.sh && sha256sum -c install.sh.sha256 && sh install.sh`,
      `bash -c 'echo ready' < <(curl -s ${URL})`,
      'cat ./install.sh | sh',
      'command -v bash',
      `# curl ${URL} | sh`,
      `curl -s ${URL} > install.sh # then: sh install.sh`,
    ]) test(command, () => assert.deepEqual(flags(runStep(command)), []));
  });

  test('every YAML style: the range is mapped back to the source text', () => {
    assert.deepEqual(flags(runStepYaml(`"curl -fsSL ${URL}\\t|\\u0020sh"`)), [['pipe-to-shell', `curl -fsSL ${URL}\\t|\\u0020sh`]]);
    assert.deepEqual(flags(runStepYaml(`'curl -fsSL ''${URL}'' | sh'`)), [['pipe-to-shell', `curl -fsSL ''${URL}'' | sh`]]);
    assert.deepEqual(flags(runStepYaml(`>\n      curl -fsSL ${URL}\n      | bash`)), [['pipe-to-shell', `curl -fsSL ${URL}\n      | bash`]]);
    assert.deepEqual(flags(runStepYaml(`curl -fsSL ${URL}\n      | bash`)), [['pipe-to-shell', `curl -fsSL ${URL}\n      | bash`]]);
    assert.deepEqual(flags(runStepYaml(`"sh -c \\"$(curl -fsSL ${URL})\\""`)), [['shell-from-download', `sh -c \\"$(curl -fsSL ${URL})`]]);
    assert.deepEqual(flags(runStepYaml(`"\\x63url ${URL} | sh"`)), [['pipe-to-shell', `\\x63url ${URL} | sh`]]);
    assert.deepEqual(flags(runStep(`curl -fsSL ${URL} \\\n  | \\\n  sudo bash`)), [['pipe-to-shell', `curl -fsSL ${URL} \\\n        | \\\n        sudo bash`]]);
    assert.deepEqual(flags(runStep(`$'\\x63url' ${URL} | sh`)), [['pipe-to-shell', `$'\\x63url' ${URL} | sh`]]);
  });

  test('no length cap: a download padded with thousands of characters, behind any wrappers and passthrough stages, is found', () => {
    const padding = fc.oneof(
      fc.integer({ min: 0, max: 20_000 }).map((n) => `"${URL}?q=${'x'.repeat(n)}"`),
      fc.integer({ min: 0, max: 400 }).map((n) => Array.from({ length: n }, (_, i) => `-H 'X-Trace-${i}: ${i}'`).join(' ')),
      fc.integer({ min: 0, max: 400 }).map((n) => `${'--retry 3 \\\n  '.repeat(n)}${URL}`),
    );
    const wrapper = fc.constantFrom('', 'sudo ', 'sudo -E ', 'env ', '/usr/bin/env ', 'command ', 'nice -n 5 ', 'nohup ', 'timeout 30 ', 'doas ', 'env -i X=1 ');
    const passthrough = fc.array(fc.constantFrom('tee -a log', 'cat', 'gunzip', 'base64 -d', 'sed s/a/b/', 'tr -d "\\r"'), { maxLength: 3 });
    const shell = fc.constantFrom('sh', 'bash', '/bin/bash', 'zsh', 'dash', 'ksh', 'python3', 'perl', 'ruby', 'node');
    const downloader = fc.constantFrom('curl -fsSL', 'wget -qO-', '/usr/bin/curl -s', 'sudo curl');
    fc.assert(fc.property(downloader, padding, passthrough, wrapper, shell, (download, pad, through, wrap, sh) => {
      const command = [`${download} ${pad}`, ...through, `${wrap}${sh}`].join(' | ');
      const found = flags(runStep(command));
      assert.equal(found.length, 1, JSON.stringify(found.map(([id, text]) => [id, text.slice(0, 40)])));
      const [id, flagged] = found[0]!;
      assert.equal(id, 'pipe-to-shell');
      assert.ok(flagged.startsWith(download.replace(/^sudo /, '').split(' ')[0]!), flagged.slice(0, 40));
      assert.ok(flagged.endsWith(sh), flagged.slice(-40));
    }), { numRuns: 60 });
  });
});

describe('PB105 other dangers through the same evasions', () => {
  const PAD = 'x'.repeat(3000);
  const CASES: Array<[command: string, pattern: string, flagged: string]> = [
    [`curl -H "X-Pad: ${PAD}" -k https://10.0.0.5/healthz`, 'curl-insecure', '-k'],
    [`"curl" --insecure https://10.0.0.5/healthz`, 'curl-insecure', '--insecure'],
    [`/usr/bin/curl -sSk https://10.0.0.5/healthz`, 'curl-insecure', '-sSk'],
    [`wget "--no-check-certificate" https://10.0.0.5/dump`, 'wget-no-check-certificate', '"--no-check-certificate"'],
    ['sudo -u root /bin/chmod 777 /srv/app', 'chmod-world-writable', '/bin/chmod 777'],
    ['chmod "0777" /srv/app', 'chmod-world-writable', 'chmod "0777"'],
    ['chmod \\\n  -R 777 /srv/app', 'chmod-world-writable', 'chmod \\\n        -R 777'],
    ['chmod 2777 /srv/shared', 'chmod-world-writable', 'chmod 2777'],
    ['chmod u+rwx,o+w /srv/app', 'chmod-world-writable', 'chmod u+rwx,o+w'],
    ['find /srv -type d -exec chmod 777 {} \\;', 'chmod-world-writable', 'chmod 777'],
    ['env /usr/sbin/ufw --force disable', 'ufw-disable', '/usr/sbin/ufw --force disable'],
    ['sudo systemctl --now disable firewalld', 'firewall-service-stop', 'systemctl --now disable firewalld'],
    ['"iptables" -F', 'iptables-flush', '"iptables" -F'],
    ['/sbin/setenforce Permissive', 'selinux-setenforce', '/sbin/setenforce Permissive'],
    [`git commit -m "${PAD}" --no-verify`, 'git-no-verify', '--no-verify'],
    ['git commit -anm hotfix', 'git-no-verify', '-anm'],
    ['git -c core.hooksPath=/dev/null commit -m hotfix', 'git-no-verify', 'core.hooksPath=/dev/null'],
    ['sudo rm -rf "/"', 'rm-rf-root', 'rm -rf "/"'],
    [`kubectl delete namespaces --selector=${PAD} --all`, 'kubectl-delete-all-namespaces', `kubectl delete namespaces --selector=${PAD} --all`],
    ['cat image.raw > /dev/sda', 'disk-overwrite', '/dev/sda'],
    ['ssh -oStrictHostKeyChecking=no db-1', 'ssh-no-host-key-check', 'StrictHostKeyChecking=no'],
    ['git -c http.sslverify=False fetch', 'git-ssl-no-verify', 'http.sslverify=False'],
    ['kubectl get pods --insecure-skip-tls-verify=True', 'insecure-skip-tls-verify', '--insecure-skip-tls-verify=True'],
    ['export HISTFILE=/dev/null', 'history-off', 'HISTFILE=/dev/null'],
  ];
  for (const [command, pattern, flagged] of CASES) {
    test(`${pattern}: ${command.slice(0, 80)}`, () => assert.deepEqual(flags(runStep(command)), [[pattern, flagged]]));
  }

  test('a `#` inside quotes starts no comment: what follows on the line is read', () => {
    assert.deepEqual(flags(runStep('curl -H "X-Ticket: INC #4711" https://10.0.0.5/api && git config --global http.sslVerify false')), [['git-ssl-no-verify', 'http.sslVerify false']]);
    assert.deepEqual(flags(runStep("echo 'step #2'; npm config set strict-ssl false")), [['npm-strict-ssl-off', 'strict-ssl false']]);
    assert.deepEqual(flags(runStep('echo ok # later: git config http.sslVerify false')), []);
  });

  test('a double-quoted YAML command with escapes is read as the shell gets it', () => {
    assert.deepEqual(flags(runStepYaml('"chmod\\t777 /srv && ufw\\u0020disable"')), [['chmod-world-writable', 'chmod\\t777'], ['ufw-disable', 'ufw\\u0020disable']]);
  });

  test('a multi-line `run: |` block: each command on its own line, continuations joined', () => {
    assert.deepEqual(flags(runStep('set -e\nsudo \\\n  iptables \\\n  -F\necho done')), [['iptables-flush', 'iptables \\\n        -F']]);
  });

  test('a config-change map is read for settings and each value as a command', () => {
    const text = secondStepPlaybook(`    action: config-change
    service: api
    change:
      env: { NODE_TLS_REJECT_UNAUTHORIZED: "0" }
      hook: "curl -s ${URL} | sh"
`);
    assert.deepEqual(flags(text), [['node-tls-reject-unauthorized', 'NODE_TLS_REJECT_UNAUTHORIZED: "0'], ['pipe-to-shell', `curl -s ${URL} | sh`]]);
  });
});

describe('PB105 through YAML aliases', () => {
  test('a command or a config-change map brought by `*name` is read, and reported where the step uses it', () => {
    const text = secondStepPlaybook(`    action: diagnose
    run: echo ok
    notes: &install "curl -fsSL ${URL} | sh"
  - id: fix-2
    action: run
    command: *install
  - id: fix-3
    action: config-change
    service: api
    change: &env { NODE_TLS_REJECT_UNAUTHORIZED: "0", hook: "chmod 777 /srv" }
  - id: fix-4
    action: config-change
    service: api
    change: *env
`);
    const found = runRule(PB105, text).map((f) => [f.stepIndex, String(f.data?.['pattern']), text.slice(f.range.start, f.range.end)]);
    assert.deepEqual(found, [
      [2, 'pipe-to-shell', '*install'],
      [3, 'node-tls-reject-unauthorized', 'NODE_TLS_REJECT_UNAUTHORIZED: "0'],
      [3, 'chmod-world-writable', 'chmod 777'],
      [4, 'node-tls-reject-unauthorized', '*env'],
      [4, 'chmod-world-writable', '*env'],
    ]);
  });
});
