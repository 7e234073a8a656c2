/**
 * Commands that are dangerous to run during an incident: what each does wrong and the safer form,
 * and the scan that finds them in a shell command (by its structure: shellScan.ts) or in settings
 * text (by pattern: settingPatterns.ts). The list is kept precise: a danger is here only when it
 * is wrong in (almost) every playbook, so a warning is worth the responder's attention.
 */
import { findSettings } from './settingPatterns.js';
import { scanShell } from './shellScan.js';

export interface DangerousCommandMatch {
  id: string;
  what: string;
  instead: string;
  /** Offsets into the scanned text. */
  start: number;
  end: number;
}

interface Danger {
  /** What the command does, completing "`run` …": "pipes a download straight into a shell". */
  what: string;
  /** The safer form. */
  instead: string;
}

const DOWNLOAD_INSTEAD = 'download it to a file, verify its checksum or signature, then run it';
const TLS_INSTEAD = 'keep verification on; if the certificate is not trusted, add its CA to the trust store (or pass it with the tool\'s CA option)';
const FIREWALL_INSTEAD = 'keep the firewall on and add the narrowest rule that allows the traffic you need';
const MAC_INSTEAD = 'keep it enforcing; read the denial in the audit log and add the narrow policy change that allows it';

/** Every danger by its stable id (reported as `data.pattern`). */
const DANGERS: Readonly<Record<string, Danger>> = {
  // Downloads run unseen: whoever controls the server (or the network, with TLS off) runs code here.
  'pipe-to-shell': { what: 'pipes a download straight into a shell', instead: DOWNLOAD_INSTEAD },
  'shell-from-download': { what: 'runs a script straight from a download', instead: DOWNLOAD_INSTEAD },
  // TLS verification off: a man in the middle reads credentials and swaps what is downloaded.
  'curl-insecure': { what: 'turns off TLS certificate verification (`curl -k`)', instead: TLS_INSTEAD },
  'wget-no-check-certificate': { what: 'turns off TLS certificate verification (`--no-check-certificate`)', instead: TLS_INSTEAD },
  'insecure-skip-tls-verify': { what: 'turns off TLS verification of the cluster API (`insecure-skip-tls-verify`)', instead: TLS_INSTEAD },
  'tls-verify-flag-off': { what: 'turns off TLS certificate verification', instead: TLS_INSTEAD },
  'node-tls-reject-unauthorized': { what: 'turns off TLS verification for Node.js (`NODE_TLS_REJECT_UNAUTHORIZED=0`)', instead: TLS_INSTEAD },
  'git-ssl-no-verify': { what: 'turns off TLS verification for git', instead: TLS_INSTEAD },
  'python-verify-false': { what: 'turns off TLS verification for Python (`verify=False`)', instead: TLS_INSTEAD },
  'npm-strict-ssl-off': { what: 'turns off TLS verification for npm (`strict-ssl false`)', instead: TLS_INSTEAD },
  'ssh-no-host-key-check': { what: 'turns off SSH host key checking (`StrictHostKeyChecking=no`)', instead: 'add the host key to known_hosts, checked out of band, and keep checking on' },
  // Permissions: world-writable files let any local user change what the service runs.
  'chmod-world-writable': { what: 'makes files writable by every user (`chmod 777`)', instead: 'grant only the owner or group that needs it, e.g. `chmod 750` or `chmod g+w`' },
  // Firewalls off: the incident's attacker gets every port, not just the one being debugged.
  'ufw-disable': { what: 'turns the firewall off (`ufw disable`)', instead: FIREWALL_INSTEAD },
  'firewall-service-stop': { what: 'stops the firewall service', instead: FIREWALL_INSTEAD },
  'iptables-flush': { what: 'flushes the firewall rules (`iptables -F`)', instead: FIREWALL_INSTEAD },
  'iptables-accept-all': { what: 'sets the firewall to accept everything by default', instead: FIREWALL_INSTEAD },
  'nft-flush-ruleset': { what: 'flushes the firewall rules (`nft flush ruleset`)', instead: FIREWALL_INSTEAD },
  'netsh-firewall-off': { what: 'turns the Windows firewall off', instead: FIREWALL_INSTEAD },
  'powershell-firewall-off': { what: 'turns the Windows firewall off', instead: FIREWALL_INSTEAD },
  // Mandatory access control off: the last barrier against a compromised service.
  'selinux-setenforce': { what: 'turns SELinux enforcement off (`setenforce 0`)', instead: MAC_INSTEAD },
  'selinux-disabled': { what: 'disables SELinux in its configuration', instead: MAC_INSTEAD },
  'apparmor-off': { what: 'turns AppArmor off', instead: MAC_INSTEAD },
  // Checks skipped: git hooks are where secret scans and signing checks live.
  'git-no-verify': { what: 'skips the git hooks (`--no-verify`), where secret scans and signing checks run', instead: 'let the hooks run and fix what they report' },
  // Destruction and lost evidence: no incident needs these, and they cannot be undone.
  'rm-rf-root': { what: 'deletes the whole filesystem (`rm -rf /`)', instead: 'name the exact path to delete' },
  'kubectl-delete-all-namespaces': { what: 'deletes every namespace in the cluster (`kubectl delete namespace --all`)', instead: 'name the namespace to delete' },
  'disk-overwrite': { what: 'writes over a whole disk (`dd of=/dev/…`)', instead: 'capture evidence by reading the disk (`if=/dev/…`) into an image file; never write to the device' },
  'audit-off': { what: 'turns system auditing off, destroying the evidence this incident needs', instead: 'keep auditing on; if it is too noisy, narrow the rules' },
  'history-off': { what: 'clears or turns off the shell history, the record of what responders ran', instead: 'keep the history: it is part of the incident evidence' },
};

interface Hit {
  id: string;
  start: number;
  end: number;
}

/**
 * Blanks out shell (and YAML) comments, keeping every offset: a `#` that starts a word, up to the
 * end of the line. "# never `curl | sh`" is advice, not a command.
 */
export function maskShellComments(source: string): string {
  return source.replace(/(^|\s)#[^\n]*/g, (comment, lead: string) => lead + ' '.repeat(comment.length - lead.length));
}

/**
 * Dangerous fragments in a shell command, in order: its structure, and the settings it writes
 * outside its comments (as the shell reads them: a `#` inside quotes starts none).
 */
export function findDangerousCommands(source: string): DangerousCommandMatch[] {
  const { hits, comments } = scanShell(source);
  let masked = source;
  if (comments.length) {
    masked = '';
    let at = 0;
    for (const { start, end } of comments) {
      masked += source.slice(at, start) + ' '.repeat(end - start);
      at = end;
    }
    masked += source.slice(at);
  }
  return matches([...findSettings(masked), ...hits]);
}

/** Dangerous settings in text that is not a command (a config-change map as written). */
export function findDangerousSettings(source: string): DangerousCommandMatch[] {
  return matches(findSettings(maskShellComments(source)));
}

/** One match per danger and place: of two hits of one danger that overlap (a word and its line, a script and the script inside it), the wider. */
function matches(hits: Hit[]): DangerousCommandMatch[] {
  const sorted = hits.filter((h) => h.end > h.start).sort((a, b) => a.start - b.start || b.end - a.end);
  const kept: Hit[] = [];
  const lastById = new Map<string, Hit>();
  for (const h of sorted) {
    const last = lastById.get(h.id);
    if (last && h.start < last.end) continue;
    kept.push(h);
    lastById.set(h.id, h);
  }
  return kept.map((h) => ({ ...h, ...DANGERS[h.id]! })).sort((a, b) => a.start - b.start || a.end - b.end);
}
