/**
 * PB105's patterns for settings rather than commands: environment variables, configuration keys and
 * library arguments that turn a protection off (`NODE_TLS_REJECT_UNAUTHORIZED=0`, `verify=False`,
 * `StrictHostKeyChecking=no`, `SELINUX=disabled`, …). They are matched in any text: a shell word,
 * a whole command line, or a config-change map as written.
 *
 * Regex safety: every repetition is bounded, and a quantified group never has two alternatives
 * that can match the same character, so each pattern runs in linear time on hostile input.
 */

export interface SettingPattern {
  /** Stable id, reported as `data.pattern`. */
  id: string;
  /** Global, with indices (`gd`). */
  regex: RegExp;
}

function pattern(id: string, source: string, flags = ''): SettingPattern {
  return { id, regex: new RegExp(source, `gd${flags}`) };
}

/** `=`, `:` or blanks between a key and its value, with the value's quote if any. */
const IS = String.raw`["']?\s{0,3}[=:]\s{0,3}["']?`;

export const SETTING_PATTERNS: readonly SettingPattern[] = [
  pattern('insecure-skip-tls-verify', String.raw`--insecure-skip-tls-verify(?:=["']?(?:true|t|1)\b|(?![=\w-]))|\binsecure-skip-tls-verify${IS}(?:true|t|1)\b`, 'i'),
  pattern('tls-verify-flag-off', String.raw`--(?:no-verify-ssl(?![\w-])|(?:src-|dest-)?tls-verify=["']?(?:false|f|0)\b)`, 'i'),
  pattern('node-tls-reject-unauthorized', String.raw`\bNODE_TLS_REJECT_UNAUTHORIZED${IS}0(?!\d)`),
  pattern('git-ssl-no-verify', String.raw`\bGIT_SSL_NO_VERIFY${IS}(?!0\b|false\b)\w{1,10}|\bhttp\.(?:[^\s=]{1,300}\.)?sslVerify(?:\s{1,3}|\s{0,3}=\s{0,3})["']?(?:false|no|off|0)\b`, 'i'),
  pattern('python-verify-false', String.raw`\bverify\s{0,3}=\s{0,3}(?:False|0)\b|\bPYTHONHTTPSVERIFY${IS}0(?!\d)|\bCURL_CA_BUNDLE${IS}["']{2}`),
  pattern('npm-strict-ssl-off', String.raw`\bstrict-ssl(?:\s{1,3}|\s{0,3}=\s{0,3})["']?(?:false|0)\b`, 'i'),
  pattern('ssh-no-host-key-check', String.raw`StrictHostKeyChecking(?:\s{1,3}|\s{0,3}=\s{0,3})["']?(?:no|off)\b|UserKnownHostsFile(?:\s{1,3}|\s{0,3}=\s{0,3})["']?\/dev\/null\b`, 'i'),
  pattern('selinux-disabled', String.raw`\bSELINUX${IS}(?:disabled|permissive)\b`),
  pattern('wget-no-check-certificate', String.raw`\bcheck_certificate\s{0,3}=\s{0,3}off\b`),
  pattern('history-off', String.raw`\bHISTFILE=["']?\/dev\/null\b|\bHISTSIZE=["']?0(?!\d)`),
];

export interface SettingHit {
  id: string;
  start: number;
  end: number;
}

/**
 * A word every setting pattern needs (a superset, case-insensitive): a command without any, as
 * nearly every command is, skips the ten patterns. `tls` and `ssl` cover the TLS flags and
 * variables, `verify` Python's and the flags' spellings, `strict` npm's and SSH's, `knownhosts`
 * SSH's file, `hist` the shell history, `curl_ca` curl's bundle.
 */
const MAY_HOLD_SETTING = /verify|ssl|tls|strict|knownhosts|selinux|check_certificate|hist|curl_ca/i;

/** Every setting pattern's matches in `text`, in pattern order. */
export function findSettings(text: string): SettingHit[] {
  if (!MAY_HOLD_SETTING.test(text)) return [];
  const out: SettingHit[] = [];
  for (const { id, regex } of SETTING_PATTERNS) {
    regex.lastIndex = 0;
    for (let match = regex.exec(text); match; match = regex.exec(text)) {
      const [start, end] = match.indices![0]!;
      if (end > start) out.push({ id, start, end });
      else regex.lastIndex++;
    }
  }
  return out;
}
