/**
 * Shapes of secrets written in plain text, and what is only a placeholder for one.
 *
 * Regex safety: every pattern runs in linear time on hostile input. Repetition is bounded
 * (`{16,255}`), no quantified group holds alternatives that can match the same text, and the
 * start of a token is pinned by a lookbehind so a long run of token characters is scanned once.
 */

export interface SecretPattern {
  /** Stable id, reported as `data.kind`. */
  id: string;
  /** How the message names it: "a GitHub token". */
  label: string;
  /**
   * Global, with indices (`gd`). The secret is group `secret`, else the first of `dq`/`sq`/`bare`
   * that matched, else the whole match. Group `body` (when present) is what must look random.
   */
  regex: RegExp;
  /** Whether the match is a real secret rather than a placeholder or a mention. */
  accept(secret: string, match: RegExpExecArray, source: string): boolean;
  /** The first 4 characters are the provider's public prefix (`ghp_`, `AKIA`), safe to show in the message. */
  preview?: true;
}

export interface SecretMatch {
  id: string;
  label: string;
  /** Offsets into the scanned source. */
  start: number;
  end: number;
  secret: string;
  preview?: true;
}

/** Words that mark sample values; case-insensitive, anywhere in the value. */
const SAMPLE_WORDS = /example|redacted|placeholder|dummy|sample|\.{3}|…/i;
/** The same, plus masking runs (`xxxx`, `***`), for values short enough that a random run is unlikely. */
const PLACEHOLDER_MARKS = /example|redacted|placeholder|dummy|sample|your|x{4}|\*{3}|\.{3}|…/i;

/** Whole values that are not secrets. `changeme` and friends are publicly known defaults, not leaks. */
const PLACEHOLDER_WORDS = new Set([
  'password', 'passwd', 'passphrase', 'pass', 'secret', 'token', 'apikey', 'key', 'changeme', 'redacted',
  'placeholder', 'example', 'dummy', 'fake', 'none', 'null', 'nil', 'true', 'false', 'empty', 'hidden',
  'masked', 'todo', 'tbd', 'required', 'optional', 'string', 'value', 'undefined', 'prompt', 'stdin',
]);

/** References to a secret store (`vault:payments/db`, `op://…`, an ARN), not the secret itself. */
const STORE_REFERENCE = /^(?:vault|secret|secrets|op|ssm|sm|arn|env|file|keyvault|gcp-sm|aws-sm|azure-kv|ref\+[a-z]{1,20}):/i;

/**
 * Whether a value written after `password=` (and the like) is a placeholder or a reference rather
 * than a secret: variables (`$X`, `${X}`, `$(cmd)`, `%X%`), templates (`{{ … }}`), `<token>`,
 * `***`, `xxxx`, `REDACTED`, `changeme`, store references and secret names such as
 * `payments/db-password` (lower-case path segments), URLs (a link to where the secret lives;
 * credentials inside a URL are their own pattern), file paths, or anything under 4 characters.
 */
export function isPlaceholder(raw: string): boolean {
  const value = raw.trim();
  if (value.length < 4) return true;
  if (/^[$%@]/.test(value) || /\{\{|\{%|<%|\$\{|\$\(/.test(value)) return true;
  if (/^<[^<>]{0,200}>$/.test(value) || /^\[[^[\]]{0,200}\]$/.test(value)) return true;
  if (/^(.)\1{0,199}$/.test(value) || PLACEHOLDER_MARKS.test(value)) return true;
  if (PLACEHOLDER_WORDS.has(value.toLowerCase().replace(/[-_\s]/g, ''))) return true;
  if (STORE_REFERENCE.test(value) || /^[a-z][a-z0-9+.-]{0,20}:\/\//i.test(value)) return true;
  if (/^(?:\.{0,2}\/|~\/)/.test(value)) return true;
  return /^[a-z0-9._-]{1,100}(?:\/[a-z0-9._-]{1,100}){1,10}$/.test(value);
}

/** A random token uses many distinct characters; `AKIAAAAAAAAAAAAAAAAA` or `ghp_000…` do not. */
function variedEnough(body: string): boolean {
  return new Set(body).size >= Math.min(8, Math.ceil(body.length / 4));
}

/** Accepts a provider-shaped token unless it is marked as a sample or too regular to be random. */
function shaped(secret: string, match: RegExpExecArray): boolean {
  return !PLACEHOLDER_MARKS.test(secret) && variedEnough(match.groups?.body ?? secret);
}

/**
 * After `:` the text may be prose ("the token: rotated daily") or name a secret ("secret:
 * 2024-rotation"): ask for a digit, a symbol or length, and let lower-case kebab/snake names pass.
 */
function assignedValue(secret: string, match: RegExpExecArray): boolean {
  if (isPlaceholder(secret)) return false;
  if (match.groups?.sep !== ':') return true;
  if (/^[a-z0-9]{1,50}(?:[-_.][a-z0-9]{1,50}){1,10}$/.test(secret)) return false;
  return /\d|[^A-Za-z0-9\s._-]/.test(secret) || secret.length >= 20;
}

/** A key name: up to three `word_` / `word-` / `word.` prefixes, then a secret keyword. */
const KEY_PREFIX = String.raw`(?:[A-Za-z0-9]{1,30}[_.-]){0,3}`;
const ASSIGN = String.raw`["']?\s{0,3}(?<sep>[=:])\s{0,3}`;
const VALUE = String.raw`(?:"(?<dq>[^"\n]{1,200})"|'(?<sq>[^'\n]{1,200})'|(?<bare>[^\s"'\`,;&|()<>[\]{}\\]{1,200}))`;

/** Secret keywords by what the message calls them. `pwd` alone is left out: it is the working directory. */
const SECRET_KEYWORDS: ReadonlyArray<{ id: string; label: string; keyword: string }> = [
  { id: 'password', label: 'a password', keyword: 'password|passwd|passphrase|pass|pgpassword|mysql[_-]pwd' },
  { id: 'token', label: 'a token', keyword: 'token' },
  { id: 'api-key', label: 'an API key', keyword: 'api[_-]?key|apikey' },
  { id: 'secret-key', label: 'a secret key', keyword: '(?:access|secret|private|account|encryption|signing)[_-]?key' },
  { id: 'secret', label: 'a secret', keyword: 'secret' },
];

function assignment(id: string, label: string, keyword: string): SecretPattern {
  const regex = new RegExp(String.raw`(?<![A-Za-z0-9])${KEY_PREFIX}(?:${keyword})${ASSIGN}${VALUE}`, 'gdi');
  return { id, label, regex, accept: assignedValue };
}

/**
 * `--token abc` (space-separated flag value). `--password` is left out: `mysql --password db`
 * prompts for the password and `db` is the database.
 */
const FLAG_VALUE = String.raw`(?<![\w-])--(?:[a-z0-9]{1,20}-){0,2}(?:token|secret|api-key|apikey)\s{1,3}(?!-)${VALUE}`;

const BASE64URL = 'A-Za-z0-9_-';

/** Most specific first: where two matches overlap, the earlier pattern wins. */
export const SECRET_PATTERNS: readonly SecretPattern[] = [
  {
    id: 'private-key', label: 'a private key',
    // Header, then a body that cannot run past another `-----`, then the matching footer if present.
    regex: /-----BEGIN (?:[A-Z0-9]{1,20} ){0,3}PRIVATE KEY-----(?:(?:[A-Za-z0-9+/=\s\\:,.]|-(?!----)){0,16384}-----END (?:[A-Z0-9]{1,20} ){0,3}PRIVATE KEY-----)?/gd,
    accept: (secret, match, source) => {
      const headerEnd = secret.indexOf('-----', 11) + 5;
      const body = secret.length > headerEnd ? secret.slice(headerEnd) : source.slice(match.index + headerEnd, match.index + headerEnd + 300);
      return /[A-Za-z0-9+/]{32}/.test(body) && !SAMPLE_WORDS.test(body);
    },
  },
  { id: 'aws-access-key-id', preview: true, label: 'an AWS access key id', regex: /(?<![A-Za-z0-9])(?<secret>(?:AKIA|ASIA|ABIA|ACCA)(?<body>[A-Z0-9]{16}))(?![A-Za-z0-9])/gd, accept: shaped },
  {
    id: 'aws-secret-access-key', label: 'an AWS secret access key',
    regex: /(?<![A-Za-z0-9])(?:aws[_-]?)?secret[_-]?access[_-]?key["']?\s{0,3}[=:]\s{0,3}["']?(?<secret>[A-Za-z0-9/+]{40})(?![A-Za-z0-9/+=])/gdi,
    accept: shaped,
  },
  { id: 'github-token', preview: true, label: 'a GitHub token', regex: /(?<![A-Za-z0-9_])(?<secret>gh[pousr]_(?<body>[A-Za-z0-9]{36,251}))(?![A-Za-z0-9_])/gd, accept: shaped },
  { id: 'github-token', preview: true, label: 'a GitHub token', regex: /(?<![A-Za-z0-9_])(?<secret>github_pat_(?<body>[A-Za-z0-9_]{60,255}))(?![A-Za-z0-9_])/gd, accept: shaped },
  { id: 'gitlab-token', preview: true, label: 'a GitLab token', regex: /(?<![A-Za-z0-9_-])(?<secret>glpat-(?<body>[A-Za-z0-9_-]{20,255}))/gd, accept: shaped },
  { id: 'slack-webhook', label: 'a Slack webhook URL', regex: /(?<secret>https:\/\/hooks\.slack\.com\/(?:services|workflows|triggers)\/(?<body>[A-Za-z0-9_/+-]{20,300}))/gd, accept: shaped },
  { id: 'slack-token', preview: true, label: 'a Slack token', regex: /(?<![A-Za-z0-9_-])(?<secret>(?:xox[abeoprs]-|xapp-\d-)(?<body>[A-Za-z0-9-]{10,255}))/gd, accept: shaped },
  {
    id: 'jwt', label: 'a JWT', preview: true,
    regex: new RegExp(String.raw`(?<![${BASE64URL}])eyJ[${BASE64URL}]{8,4096}\.eyJ[${BASE64URL}]{8,4096}\.[${BASE64URL}]{16,4096}`, 'gd'),
    accept: (secret) => !PLACEHOLDER_MARKS.test(secret),
  },
  { id: 'stripe-key', preview: true, label: 'a Stripe secret key', regex: /(?<![A-Za-z0-9_])(?<secret>[sr]k_live_(?<body>[A-Za-z0-9]{16,247}))(?![A-Za-z0-9])/gd, accept: shaped },
  { id: 'google-api-key', preview: true, label: 'a Google API key', regex: /(?<![A-Za-z0-9_-])(?<secret>AIza(?<body>[A-Za-z0-9_-]{35}))(?![A-Za-z0-9_-])/gd, accept: shaped },
  { id: 'npm-token', preview: true, label: 'an npm token', regex: /(?<![A-Za-z0-9_])(?<secret>npm_(?<body>[A-Za-z0-9]{36}))(?![A-Za-z0-9])/gd, accept: shaped },
  { id: 'pypi-token', preview: true, label: 'a PyPI token', regex: /(?<![A-Za-z0-9_-])(?<secret>pypi-AgEIcHlwaS5vcmc(?<body>[A-Za-z0-9_-]{50,1000}))/gd, accept: shaped },
  {
    id: 'url-credentials', label: 'a password in a URL',
    regex: /(?<![A-Za-z0-9+.-])[A-Za-z][A-Za-z0-9+.-]{1,20}:\/\/[^\s:/?#@"'<>]{0,100}:(?<secret>[^\s/?#@"'<>]{1,200})@(?=[A-Za-z0-9[])/gd,
    accept: (secret) => !isPlaceholder(secret),
  },
  {
    id: 'bearer-token', label: 'a bearer token',
    regex: /(?<![A-Za-z0-9])[Bb]earer\s{1,5}(?<secret>[A-Za-z0-9._~+/-]{16,2048}={0,2})(?![A-Za-z0-9._~+/=-])/gd,
    accept: (secret) => !isPlaceholder(secret) && variedEnough(secret),
  },
  {
    id: 'basic-auth', label: 'basic-auth credentials',
    regex: /(?<![A-Za-z0-9-])Authorization["']?\s{0,3}:\s{0,3}Basic\s{1,5}(?<secret>[A-Za-z0-9+/]{8,1024}={0,2})(?![A-Za-z0-9+/=])/gdi,
    accept: (secret) => !isPlaceholder(secret) && variedEnough(secret),
  },
  ...SECRET_KEYWORDS.map(({ id, label, keyword }) => assignment(id, label, keyword)),
  { id: 'token', label: 'a token', regex: new RegExp(FLAG_VALUE, 'gdi'), accept: (secret) => !isPlaceholder(secret) },
];

/** The label of a YAML key that names a secret (`password`, `db_password`, `api-key`), if it is one. */
export function secretKeyLabel(key: string): { id: string; label: string } | undefined {
  return KEY_NAMES.find(({ regex }) => regex.test(key));
}

const KEY_NAMES = SECRET_KEYWORDS.map(({ id, label, keyword }) => ({ id, label, regex: new RegExp(`^${KEY_PREFIX}(?:${keyword})$`, 'i') }));

/**
 * A literal every secret pattern and secret key name needs (a superset, case-insensitive): text
 * without any of them cannot match, so most scalars (ids, actions, commands), and most steps
 * (PB104), skip the patterns entirely. `api` is not one: an API key's patterns need `key` too.
 */
export const MAY_HOLD_SECRET = /BEGIN|AKIA|ASIA|ABIA|ACCA|gh[pousr]_|github_pat_|glpat-|hooks\.slack|xox|xapp-|eyJ|_live_|AIza|npm_|pypi-|:\/\/|bearer|authorization|pass|pwd|token|key|secret/i;

/** Secrets in `source`, in order; where matches overlap, only the most specific pattern's is kept. */
export function findSecrets(source: string): SecretMatch[] {
  if (!MAY_HOLD_SECRET.test(source)) return [];
  const kept: SecretMatch[] = [];
  for (const pattern of SECRET_PATTERNS) {
    pattern.regex.lastIndex = 0;
    for (let match = pattern.regex.exec(source); match; match = pattern.regex.exec(source)) {
      const span = secretSpan(match);
      if (!span || kept.some((k) => k.start < span[1] && span[0] < k.end)) continue;
      const secret = source.slice(span[0], span[1]);
      if (!pattern.accept(secret, match, source)) continue;
      kept.push({ id: pattern.id, label: pattern.label, start: span[0], end: span[1], secret, ...(pattern.preview && { preview: true }) });
    }
  }
  return kept.sort((a, b) => a.start - b.start);
}

function secretSpan(match: RegExpExecArray): [number, number] | undefined {
  const groups = match.indices?.groups;
  for (const name of ['secret', 'dq', 'sq']) {
    const span = groups?.[name];
    if (span) return span;
  }
  const bare = groups?.bare;
  return bare ? trimTrailingPunctuation(match.input, bare[0], bare[1]) : match.indices?.[0];
}

/** "password: hunter2." ends a sentence: the full stop after an unquoted value is not part of it. */
function trimTrailingPunctuation(input: string, start: number, end: number): [number, number] | undefined {
  let last = end;
  while (last > start && /[.,:;!?]/.test(input[last - 1]!)) last--;
  return last > start ? [start, last] : undefined;
}
