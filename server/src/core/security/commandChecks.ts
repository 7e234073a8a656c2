/**
 * PB105's checks of one command by its words: `curl -k`, `chmod 777`, `ufw disable`,
 * `iptables -F`, `git commit --no-verify`, `rm -rf /`, … Each check reads the command as the shell
 * will run it (quotes removed, wrappers unwrapped, any number of words), so neither quoting, a
 * path, a wrapper nor a long argument list hides the danger. Ranges are offsets into the parsed text.
 */
import type { ResolvedCommand } from './shellCommands.js';
import { splitWord } from './shellCommands.js';
import type { Redirect, ShellWord } from './shellSyntaxTree.js';

export interface CommandHit {
  id: string;
  start: number;
  end: number;
}

type Check = (cmd: ResolvedCommand) => CommandHit | undefined;

const FIREWALL_UNITS = /^(?:firewalld|ufw|iptables|ip6tables|nftables|netfilter-persistent|ebtables|shorewall|csf)(?:\.service)?$/;
const STOP_ACTIONS = new Set(['stop', 'disable', 'mask', 'kill']);

/** From the command word to `last`. */
function span(id: string, cmd: ResolvedCommand, last: ShellWord): CommandHit {
  return { id, start: cmd.word.start, end: last.end };
}

function word(id: string, w: ShellWord): CommandHit {
  return { id, start: w.start, end: w.end };
}

const isOption = (w: ShellWord): boolean => w.value.startsWith('-') && w.value !== '-';

/** `systemctl [options] stop|disable|mask|kill [--now] … UNIT`: the first unit that matches. */
function systemctlStops(id: string, units: RegExp): Check {
  return (cmd) => {
    const action = cmd.args.findIndex((a) => !isOption(a));
    if (action === -1 || !STOP_ACTIONS.has(cmd.args[action]!.value)) return undefined;
    const unit = cmd.args.slice(action + 1).find((a) => units.test(a.value));
    return unit ? span(id, cmd, unit) : undefined;
  };
}

/** `service UNIT stop` (SysV), `/etc/init.d/UNIT stop`, `chkconfig UNIT off`, `rc-service UNIT stop`. */
function serviceStops(id: string, units: RegExp, verbs: RegExp): Check {
  return (cmd) => {
    const [unit, verb] = cmd.args;
    return unit && verb && units.test(unit.value) && verbs.test(verb.value) ? span(id, cmd, verb) : undefined;
  };
}

/** Numeric or symbolic modes that let every user write. The sticky bit (`1777`, shared temp dirs) is allowed. */
function worldWritable(mode: string): boolean {
  if (/^[0-7]{3,4}$/.test(mode)) {
    const digits = mode.padStart(4, '0');
    return (parseInt(digits[3]!, 8) & 2) !== 0 && (parseInt(digits[0]!, 8) & 1) === 0;
  }
  return mode.split(',').some((clause) => {
    const match = /^([ugoa]*)([-+=])([rwxXst]*)$/.exec(clause);
    if (!match) return false;
    const [, who, op, perms] = match;
    return (who!.includes('a') || who!.includes('o')) && op !== '-' && perms!.includes('w');
  });
}

const CHECKS: Readonly<Record<string, Check[]>> = {
  curl: [(cmd) => {
    const flag = cmd.args.find((a) => a.value === '--insecure' || /^-[a-zA-Z]*k[a-zA-Z]*$/.test(a.value));
    return flag && word('curl-insecure', flag);
  }],
  chmod: [(cmd) => {
    const mode = cmd.args.find((a) => !isOption(a));
    return mode && worldWritable(mode.value) ? span('chmod-world-writable', cmd, mode) : undefined;
  }],
  ufw: [(cmd) => {
    const verb = cmd.args.find((a) => !isOption(a));
    return verb?.value === 'disable' ? span('ufw-disable', cmd, verb) : undefined;
  }],
  systemctl: [systemctlStops('firewall-service-stop', FIREWALL_UNITS), systemctlStops('apparmor-off', /^apparmor(?:\.service)?$/), systemctlStops('audit-off', /^auditd(?:\.service)?$/)],
  service: [
    serviceStops('firewall-service-stop', FIREWALL_UNITS, /^stop$/),
    serviceStops('apparmor-off', /^apparmor$/, /^(?:stop|teardown)$/),
    serviceStops('audit-off', /^auditd$/, /^stop$/),
  ],
  'rc-service': [serviceStops('firewall-service-stop', FIREWALL_UNITS, /^stop$/)],
  chkconfig: [serviceStops('firewall-service-stop', FIREWALL_UNITS, /^off$/)],
  iptables: iptablesChecks(),
  ip6tables: iptablesChecks(),
  'iptables-legacy': iptablesChecks(),
  'iptables-nft': iptablesChecks(),
  nft: [(cmd) => {
    const words = cmd.args.flatMap(splitWord);
    const at = words.findIndex((w, i) => w.value === 'flush' && words[i + 1]?.value === 'ruleset');
    return at === -1 ? undefined : span('nft-flush-ruleset', cmd, words[at + 1]!);
  }],
  netsh: [(cmd) => {
    const v = cmd.args.map((a) => a.value.toLowerCase());
    const at = v.findIndex((x, i) => x === 'advfirewall' && v[i + 1] === 'set' && v[i + 3] === 'state' && v[i + 4] === 'off');
    return at === -1 ? undefined : span('netsh-firewall-off', cmd, cmd.args[at + 4]!);
  }],
  'set-netfirewallprofile': [(cmd) => {
    for (let i = 0; i < cmd.args.length; i++) {
      const v = cmd.args[i]!.value;
      const inline = /^-enabled:\s*\$?(?:false|0)$/i.test(v);
      if (inline) return span('powershell-firewall-off', cmd, cmd.args[i]!);
      if (/^-enabled:?$/i.test(v) && /^\$?(?:false|0)$/i.test(cmd.args[i + 1]?.value ?? '')) return span('powershell-firewall-off', cmd, cmd.args[i + 1]!);
    }
    return undefined;
  }],
  setenforce: [(cmd) => {
    const mode = cmd.args[0];
    return mode && /^(?:0|permissive)$/i.test(mode.value) ? span('selinux-setenforce', cmd, mode) : undefined;
  }],
  'aa-teardown': [(cmd) => ({ id: 'apparmor-off', start: cmd.word.start, end: cmd.word.end })],
  git: [gitNoVerify],
  rm: [(cmd) => {
    let recursive = false;
    let root: ShellWord | undefined;
    let options = true;
    for (const a of cmd.args) {
      if (options && a.value === '--') options = false;
      else if (options && (a.value === '--recursive' || /^-[a-zA-Z]*[rR][a-zA-Z]*$/.test(a.value))) recursive = true;
      else if ((!options || !isOption(a)) && /^\/+(?:\*|\.)?$/.test(a.value)) root ??= a;
    }
    return recursive && root ? span('rm-rf-root', cmd, root) : undefined;
  }],
  kubectl: [(cmd) => {
    const v = cmd.args.map((a) => a.value);
    const del = v.indexOf('delete');
    if (del === -1 || !v.slice(del + 1).some((x) => /^(?:ns|namespace|namespaces)(?:,|$)/.test(x))) return undefined;
    const all = cmd.args.slice(del + 1).find((a) => /^--all(?:=true)?$/.test(a.value));
    return all && span('kubectl-delete-all-namespaces', cmd, all);
  }],
  dd: [(cmd) => {
    const target = cmd.args.find((a) => DISK_TARGET.test(a.value));
    return target && word('disk-overwrite', target);
  }],
  auditctl: [(cmd) => {
    for (let i = 0; i < cmd.args.length; i++) {
      const v = cmd.args[i]!.value;
      if (v === '-D' || v === '-e0') return span('audit-off', cmd, cmd.args[i]!);
      if (v === '-e' && cmd.args[i + 1]?.value === '0') return span('audit-off', cmd, cmd.args[i + 1]!);
    }
    return undefined;
  }],
  history: [(cmd) => {
    const clear = cmd.args.find((a) => /^-[a-zA-Z]*c[a-zA-Z]*$/.test(a.value));
    return clear && span('history-off', cmd, clear);
  }],
  unset: [(cmd) => {
    const histfile = cmd.args.find((a) => a.value === 'HISTFILE');
    return histfile && span('history-off', cmd, histfile);
  }],
  set: [(cmd) => {
    const at = cmd.args.findIndex((a, i) => a.value === '+o' && cmd.args[i + 1]?.value === 'history');
    return at === -1 ? undefined : span('history-off', cmd, cmd.args[at + 1]!);
  }],
};

const DISK_TARGET = /^of=\/dev\/(?:sd[a-z]|nvme\d|hd[a-z]|xvd[a-z]|vd[a-z]|disk\d|mmcblk\d|md\d|dm-\d|mapper\/)/;
const DISK_DEVICE = /^\/dev\/(?:sd[a-z]|nvme\d|hd[a-z]|xvd[a-z]|vd[a-z]|disk\d|mmcblk\d|md\d|dm-\d|mapper\/)/;

function iptablesChecks(): Check[] {
  return [
    (cmd) => {
      const flush = cmd.args.find((a) => a.value === '-F' || a.value === '--flush');
      return flush && span('iptables-flush', cmd, flush);
    },
    (cmd) => {
      const at = cmd.args.findIndex((a, i) => (a.value === '-P' || a.value === '--policy') && /^(?:INPUT|FORWARD)$/.test(cmd.args[i + 1]?.value ?? '') && cmd.args[i + 2]?.value === 'ACCEPT');
      return at === -1 ? undefined : span('iptables-accept-all', cmd, cmd.args[at + 2]!);
    },
  ];
}

/** Letters of `git commit` that take a value, so an `n` after them is that value, not `--no-verify`. */
const COMMIT_VALUE_LETTERS = 'mFCctSu';

function gitNoVerify(cmd: ResolvedCommand): CommandHit | undefined {
  const hooksOff = cmd.args.find((a) => /^core\.hookspath=\/dev\/null$/i.test(a.value));
  if (hooksOff) return word('git-no-verify', hooksOff);
  const sub = cmd.args.findIndex((a, i) => !isOption(a) && !(i > 0 && /^-[cC]$/.test(cmd.args[i - 1]!.value)));
  if (sub === -1) return undefined;
  for (const a of cmd.args.slice(sub + 1)) {
    if (a.value === '--') break;
    if (a.value === '--no-verify') return word('git-no-verify', a);
    if (cmd.args[sub]!.value === 'commit' && /^-[a-zA-Z]+$/.test(a.value)) {
      for (const letter of a.value.slice(1)) {
        if (letter === 'n') return word('git-no-verify', a);
        if (COMMIT_VALUE_LETTERS.includes(letter)) break;
      }
    }
  }
  return undefined;
}

/** The dangers of one command, by its name. */
export function checkCommand(cmd: ResolvedCommand): CommandHit[] {
  const out: CommandHit[] = [];
  for (const check of CHECKS[cmd.name] ?? []) {
    const hit = check(cmd);
    if (hit) out.push(hit);
  }
  for (const a of cmd.args) if (a.value === '--no-check-certificate') out.push(word('wget-no-check-certificate', a));
  return out;
}

/** `> /dev/sda`: output written over a whole disk. */
export function checkRedirect(redirect: Redirect): CommandHit | undefined {
  if (!redirect.target || !['>', '>>', '>|', '&>', '&>>'].includes(redirect.op)) return undefined;
  return DISK_DEVICE.test(redirect.target.value) ? word('disk-overwrite', redirect.target) : undefined;
}
