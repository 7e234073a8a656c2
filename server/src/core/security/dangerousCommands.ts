/**
 * Commands that are dangerous to run during an incident: each pattern names what it does wrong
 * and the safer form. The list is kept precise: a pattern is here only when the command is
 * wrong in (almost) every playbook, so a warning is worth the responder's attention.
 *
 * Regex safety: every repetition is bounded, and a quantified group never has two alternatives
 * that can match the same character, so each pattern runs in linear time on hostile input.
 */

export interface DangerousCommandPattern {
  /** Stable id, reported as `data.pattern`. */
  id: string;
  /** What the command does, completing "`run` …": "pipes a download straight into a shell". */
  what: string;
  /** The safer form. */
  instead: string;
  /** Global, with indices (`gd`). Group `frag`, when present, is the range to report; else the whole match. */
  regex: RegExp;
}

export interface DangerousCommandMatch {
  id: string;
  what: string;
  instead: string;
  /** Offsets into the scanned source. */
  start: number;
  end: number;
}

/** One character of a simple command: anything but a pipe, `;`, `&` or newline; `\x` escapes (line continuations) included. */
const SEG = String.raw`(?:[^|\n;&\\]|\\[\s\S])`;
/** Start of a command word: not inside another word or path segment name. */
const CMD = String.raw`(?<![\w-])`;
const STOP_SERVICE = String.raw`systemctl\s{1,10}(?:stop|disable|mask|kill)\s{1,10}(?:--now\s{1,10})?`;
const IPTABLES = String.raw`${CMD}ip6?tables\s{1,10}(?:-t\s{1,10}[a-z]{1,10}\s{1,10})?`;

const TLS_INSTEAD = 'keep verification on; if the certificate is not trusted, add its CA to the trust store (or pass it with the tool\'s CA option)';
const FIREWALL_INSTEAD = 'keep the firewall on and add the narrowest rule that allows the traffic you need';
const MAC_INSTEAD = 'keep it enforcing; read the denial in the audit log and add the narrow policy change that allows it';

function pattern(id: string, what: string, instead: string, source: string, flags = ''): DangerousCommandPattern {
  return { id, what, instead, regex: new RegExp(source, `gd${flags}`) };
}

export const DANGEROUS_COMMAND_PATTERNS: readonly DangerousCommandPattern[] = [
  // Downloads run unseen: whoever controls the server (or the network, with TLS off) runs code here.
  pattern('pipe-to-shell', 'pipes a download straight into a shell', 'download it to a file, verify its checksum or signature, then run it',
    String.raw`${CMD}(?:curl|wget)\b${SEG}{0,500}\|\s{0,10}(?:sudo\s{1,10}(?:-[A-Za-z]{1,5}\s{1,10}){0,3})?(?:(?:ba|z|k|da|fi)?sh|python[23]?|perl|ruby|node)(?![\w.-])`),
  pattern('shell-from-download', 'runs a script straight from a download', 'download it to a file, verify its checksum or signature, then run it',
    String.raw`${CMD}(?:(?:ba|z|k|da)?sh(?:\s{1,10}-c)?|source|eval|\.)\s{1,10}["']?(?:<\(|\$\()\s{0,10}(?:curl|wget)\b[^)\n]{0,500}\)`),
  // TLS verification off: a man in the middle reads credentials and swaps what is downloaded.
  pattern('curl-insecure', 'turns off TLS certificate verification (`curl -k`)', TLS_INSTEAD,
    String.raw`${CMD}curl\b${SEG}{0,500}?(?<=\s)(?<frag>--insecure|-[A-Za-z]{0,8}k[A-Za-z]{0,8})(?![\w-])`),
  pattern('wget-no-check-certificate', 'turns off TLS certificate verification (`--no-check-certificate`)', TLS_INSTEAD,
    String.raw`--no-check-certificate(?![\w-])`),
  pattern('insecure-skip-tls-verify', 'turns off TLS verification of the cluster API (`insecure-skip-tls-verify`)', TLS_INSTEAD,
    String.raw`--insecure-skip-tls-verify(?:=true\b|(?![=\w-]))|\binsecure-skip-tls-verify["']?\s{0,3}:\s{0,3}["']?true\b`),
  pattern('tls-verify-flag-off', 'turns off TLS certificate verification', TLS_INSTEAD,
    String.raw`--(?:no-verify-ssl(?![\w-])|tls-verify=false\b)`),
  pattern('node-tls-reject-unauthorized', 'turns off TLS verification for Node.js (`NODE_TLS_REJECT_UNAUTHORIZED=0`)', TLS_INSTEAD,
    String.raw`\bNODE_TLS_REJECT_UNAUTHORIZED["']?\s{0,3}[=:]\s{0,3}["']?0(?!\d)`),
  pattern('git-ssl-no-verify', 'turns off TLS verification for git', TLS_INSTEAD,
    String.raw`\bGIT_SSL_NO_VERIFY["']?\s{0,3}[=:]\s{0,3}["']?(?!0\b|false\b)\w{1,10}|\bhttp\.sslVerify(?:\s{1,3}|\s{0,3}=\s{0,3})["']?false\b`),
  pattern('python-verify-false', 'turns off TLS verification for Python (`verify=False`)', TLS_INSTEAD,
    String.raw`\bverify\s{0,3}=\s{0,3}False\b|\bPYTHONHTTPSVERIFY["']?\s{0,3}[=:]\s{0,3}["']?0(?!\d)`),
  pattern('npm-strict-ssl-off', 'turns off TLS verification for npm (`strict-ssl false`)', TLS_INSTEAD,
    String.raw`\bstrict-ssl(?:\s{1,3}|\s{0,3}=\s{0,3})["']?false\b`),
  pattern('ssh-no-host-key-check', 'turns off SSH host key checking (`StrictHostKeyChecking=no`)',
    'add the host key to known_hosts, checked out of band, and keep checking on',
    String.raw`\bStrictHostKeyChecking(?:\s{1,3}|\s{0,3}=\s{0,3})["']?no\b`, 'i'),
  // Permissions: world-writable files let any local user change what the service runs.
  pattern('chmod-world-writable', 'makes files writable by every user (`chmod 777`)', 'grant only the owner or group that needs it, e.g. `chmod 750` or `chmod g+w`',
    String.raw`${CMD}chmod\s{1,10}(?:--?[A-Za-z][A-Za-z-]{0,20}\s{1,10}){0,3}(?:0?777|0?666|(?:a|ugo)[+=]rwx|o[+=]rwx|[ao]\+w)(?![\w+=-])`),
  // Firewalls off: the incident's attacker gets every port, not just the one being debugged.
  pattern('ufw-disable', 'turns the firewall off (`ufw disable`)', FIREWALL_INSTEAD, String.raw`${CMD}ufw\s{1,10}disable\b`),
  pattern('firewall-service-stop', 'stops the firewall service', FIREWALL_INSTEAD,
    String.raw`${CMD}${STOP_SERVICE}(?:firewalld|ufw|iptables|ip6tables|nftables|netfilter-persistent)(?:\.service)?(?![\w-])|${CMD}service\s{1,10}(?:firewalld|ufw|iptables|nftables)\s{1,10}stop\b`),
  pattern('iptables-flush', 'flushes the firewall rules (`iptables -F`)', FIREWALL_INSTEAD, String.raw`${IPTABLES}(?:-F|--flush)(?![\w-])`),
  pattern('iptables-accept-all', 'sets the firewall to accept everything by default', FIREWALL_INSTEAD,
    String.raw`${IPTABLES}(?:-P|--policy)\s{1,10}(?:INPUT|FORWARD)\s{1,10}ACCEPT\b`),
  pattern('nft-flush-ruleset', 'flushes the firewall rules (`nft flush ruleset`)', FIREWALL_INSTEAD, String.raw`${CMD}nft\s{1,10}flush\s{1,10}ruleset\b`),
  pattern('netsh-firewall-off', 'turns the Windows firewall off', FIREWALL_INSTEAD,
    String.raw`${CMD}netsh\s{1,10}advfirewall\s{1,10}set\s{1,10}[a-z]{1,20}\s{1,10}state\s{1,10}off\b`, 'i'),
  pattern('powershell-firewall-off', 'turns the Windows firewall off', FIREWALL_INSTEAD,
    String.raw`${CMD}Set-NetFirewallProfile\b[^\n;|]{0,300}?-Enabled(?:\s{1,5}|\s{0,5}:\s{0,5})\$?(?:false|0)\b`, 'i'),
  // Mandatory access control off: the last barrier against a compromised service.
  pattern('selinux-setenforce', 'turns SELinux enforcement off (`setenforce 0`)', MAC_INSTEAD, String.raw`${CMD}setenforce\s{1,10}(?:0|permissive)\b`, 'i'),
  pattern('selinux-disabled', 'disables SELinux in its configuration', MAC_INSTEAD, String.raw`\bSELINUX["']?\s{0,3}[=:]\s{0,3}["']?(?:disabled|permissive)\b`),
  pattern('apparmor-off', 'turns AppArmor off', MAC_INSTEAD,
    String.raw`${CMD}(?:${STOP_SERVICE}apparmor(?:\.service)?(?![\w-])|service\s{1,10}apparmor\s{1,10}(?:stop|teardown)\b|aa-teardown\b)`),
  // Checks skipped: git hooks are where secret scans and signing checks live.
  pattern('git-no-verify', 'skips the git hooks (`--no-verify`), where secret scans and signing checks run', 'let the hooks run and fix what they report',
    String.raw`${CMD}git\b${SEG}{0,300}?(?<=\s)(?<frag>--no-verify)(?![\w-])`),
  // Destruction and lost evidence: no incident needs these, and they cannot be undone.
  pattern('rm-rf-root', 'deletes the whole filesystem (`rm -rf /`)', 'name the exact path to delete',
    String.raw`${CMD}rm\s{1,10}(?:--?[A-Za-z][A-Za-z-]{0,20}\s{1,10}){1,4}["']?\/\*?["']?(?![^\s;|&)"'\\])`),
  pattern('kubectl-delete-all-namespaces', 'deletes every namespace in the cluster (`kubectl delete namespace --all`)', 'name the namespace to delete',
    String.raw`${CMD}kubectl\s{1,10}delete\s{1,10}(?:ns|namespaces?)\b${SEG}{0,200}?(?<=\s)--all(?![\w-])`),
  pattern('disk-overwrite', 'writes over a whole disk (`dd of=/dev/…`)', 'capture evidence by reading the disk (`if=/dev/…`) into an image file; never write to the device',
    String.raw`${CMD}dd\b${SEG}{0,200}?(?<=\s)(?<frag>of=\/dev\/(?:sd[a-z]|nvme\d|hd[a-z]|xvd[a-z]|vd[a-z]|disk\d|mmcblk\d))`),
  pattern('audit-off', 'turns system auditing off, destroying the evidence this incident needs', 'keep auditing on; if it is too noisy, narrow the rules',
    String.raw`${CMD}(?:auditctl\s{1,10}(?:-e\s{0,3}0|-D)(?![\w-])|${STOP_SERVICE}auditd(?:\.service)?(?![\w-])|service\s{1,10}auditd\s{1,10}stop\b)`),
  pattern('history-off', 'clears or turns off the shell history, the record of what responders ran', 'keep the history: it is part of the incident evidence',
    String.raw`${CMD}(?:history\s{1,10}-c(?![\w-])|unset\s{1,10}HISTFILE\b|HISTFILE=\/dev\/null\b|set\s{1,10}\+o\s{1,10}history\b)`),
];

/**
 * Blanks out shell (and YAML) comments, keeping every offset: a `#` that starts a word, up to the
 * end of the line (or a `\n` escape in a double-quoted scalar). "# never `curl | sh`" is advice, not a command.
 */
export function maskShellComments(source: string): string {
  return source.replace(/(^|\s)#(?:[^\n\\]|\\(?!n))*/g, (comment, lead: string) => lead + ' '.repeat(comment.length - lead.length));
}

/** Dangerous fragments in a command string, in order. */
export function findDangerousCommands(source: string): DangerousCommandMatch[] {
  const scanned = maskShellComments(source);
  const out: DangerousCommandMatch[] = [];
  for (const { id, what, instead, regex } of DANGEROUS_COMMAND_PATTERNS) {
    regex.lastIndex = 0;
    for (let match = regex.exec(scanned); match; match = regex.exec(scanned)) {
      const [start, end] = match.indices?.groups?.frag ?? match.indices![0]!;
      if (end > start) out.push({ id, what, instead, start, end });
      else regex.lastIndex++;
    }
  }
  return out.sort((a, b) => a.start - b.start || a.end - b.end);
}
