/**
 * Deterministic OSV records for the advisory benchmark, shaped like the GitHub Advisory Database
 * export: GHSA ids with CVE aliases, markdown details, CVSS v3 vectors, database_specific labels,
 * plus Go vulndb (GO-*) and PyPA (PYSEC-*) records that carry no label. Same seed, same records.
 */
import { cvssBand, cvssBaseScore } from '../server/src/core/advisories/severity.js';

/** mulberry32: small, fast and good enough to spread test data. */
export class Rng {
  constructor(private state: number) {}
  next(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) | 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]!;
  }
  char(alphabet: string): string {
    return alphabet[Math.floor(this.next() * alphabet.length)]!;
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  /** An item by weight: [[item, weight], ...]. */
  weighted<T>(items: readonly (readonly [T, number])[]): T {
    let left = this.next() * items.reduce((sum, [, w]) => sum + w, 0);
    for (const [item, w] of items) if ((left -= w) < 0) return item;
    return items[items.length - 1]![0];
  }
}

type EcosystemName = 'npm' | 'Maven' | 'PyPI' | 'Go' | 'RubyGems' | 'NuGet';

/** Shares of the reviewed GitHub advisories among the six ecosystems the matcher knows. */
const ECOSYSTEM_SHARES: readonly (readonly [EcosystemName, number])[] = [
  ['npm', 28], ['Maven', 27], ['PyPI', 22], ['Go', 12], ['RubyGems', 6], ['NuGet', 5],
];

export interface GeneratedPackage {
  ecosystem: EcosystemName;
  /** As an advisory spells it; a Go advisory may name a package inside the module. */
  name: string;
  /** How a service names it, without a version. */
  purl: string;
  /** Releases, oldest first. */
  releases: string[];
}

export interface OsvCorpus {
  records: Record<string, unknown>[];
  packages: GeneratedPackage[];
  withdrawn: number;
}

const SYLLABLES = ['ax', 'be', 'co', 'da', 'el', 'fi', 'go', 'hu', 'io', 'ja', 'ka', 'lo', 'mi', 'no', 'pa', 'qu', 'ra', 'si', 'to', 'ul', 've', 'wi', 'xo', 'yu', 'ze'];
const WORDS = ['parser', 'router', 'client', 'server', 'utils', 'core', 'auth', 'json', 'yaml', 'http', 'crypto', 'token', 'stream', 'cache', 'logger', 'config', 'render', 'markdown', 'image', 'archive', 'xml', 'sql', 'orm', 'session', 'cookie', 'upload', 'template', 'proxy', 'socket', 'schema'];
const FLAWS = ['Prototype Pollution', 'Cross-site Scripting', 'Regular Expression Denial of Service', 'Path Traversal', 'Server-Side Request Forgery', 'Improper Input Validation', 'Deserialization of Untrusted Data', 'SQL Injection', 'Uncontrolled Resource Consumption', 'Improper Authentication', 'Open Redirect', 'XML External Entity Reference', 'Command Injection', 'Exposure of Sensitive Information'];
const CWES = ['CWE-20', 'CWE-22', 'CWE-79', 'CWE-89', 'CWE-94', 'CWE-200', 'CWE-287', 'CWE-400', 'CWE-502', 'CWE-601', 'CWE-611', 'CWE-918', 'CWE-1321', 'CWE-1333'];
const SENTENCES = [
  'An attacker who controls {input} can {effect} when the application passes it to {pkg} without further checks.',
  'Versions of {pkg} before {fix} do not validate {input} before using it, which lets a remote, unauthenticated attacker {effect}.',
  'The issue was introduced in {intro} when the {part} was rewritten and is fixed in {fix}.',
  'Applications that only use the {part} with trusted input are not affected.',
  'Users are advised to upgrade to {fix} or later; there is no backport to older release lines.',
  'As a workaround, disable the {part} or reject {input} at the edge until you can upgrade.',
  'The maintainers thank the reporter for the coordinated disclosure and the proof of concept.',
  'Exploitation requires the {part} to be reachable from the network, which is the default configuration.',
];
const INPUTS = ['a crafted header', 'the file name of an upload', 'a nested JSON document', 'the redirect URL', 'a template string', 'a long query parameter'];
const EFFECTS = ['execute arbitrary code', 'read files outside the intended directory', 'exhaust the CPU for minutes', 'inject script into rendered pages', 'bypass the authentication check'];
const PARTS = ['request parser', 'template renderer', 'archive extractor', 'session middleware', 'XML loader', 'URL normaliser'];
const GHSA_ALPHABET = '23456789cfghjmpqrvwx';

function tag(i: number): string {
  let out = '';
  do {
    out += SYLLABLES[i % 25];
    i = Math.floor(i / 25);
  } while (i > 0);
  return out.length < 4 ? out + 'ux' : out;
}

const capital = (s: string) => s[0]!.toUpperCase() + s.slice(1);

function makePackage(rng: Rng, i: number): GeneratedPackage {
  const ecosystem = rng.weighted(ECOSYSTEM_SHARES);
  const word = rng.pick(WORDS);
  const t = tag(i);
  const releases = makeReleases(rng, ecosystem);
  switch (ecosystem) {
    case 'npm':
      return rng.chance(0.3)
        ? { ecosystem, name: `@${t}/${word}`, purl: `pkg:npm/%40${t}/${word}`, releases }
        : { ecosystem, name: `${word}-${t}`, purl: `pkg:npm/${word}-${t}`, releases };
    case 'Maven':
      return { ecosystem, name: `org.${t}.${word}:${word}-${t}`, purl: `pkg:maven/org.${t}.${word}/${word}-${t}`, releases };
    case 'PyPI': {
      const name = `${capital(word)}_${capital(t)}`;
      return { ecosystem, name, purl: `pkg:pypi/${name.toLowerCase().replace(/_/g, '-')}`, releases };
    }
    case 'Go': {
      const module = `github.com/${t}/${word}`;
      const name = rng.chance(0.3) ? `${module}/${rng.pick(['internal/codec', 'pkg/server', 'cmd/auth', 'middleware'])}` : module;
      return { ecosystem, name, purl: `pkg:golang/${module}`, releases };
    }
    case 'RubyGems':
      return { ecosystem, name: `${word}_${t}`, purl: `pkg:gem/${word}_${t}`, releases };
    case 'NuGet':
      return { ecosystem, name: `${capital(t)}.${capital(word)}`, purl: `pkg:nuget/${capital(t)}.${capital(word)}`, releases };
  }
}

/** Releases oldest first, with the occasional pre-release just before its release. */
function makeReleases(rng: Rng, ecosystem: EcosystemName): string[] {
  const out: string[] = [];
  const first = rng.int(0, 2);
  const majors = rng.int(1, 4);
  for (let major = first; major < first + majors && out.length < 60; major++) {
    const minors = rng.int(1, 8);
    for (let minor = 0; minor < minors; minor++) {
      const base = `${major}.${minor}`;
      if (minor > 0 && rng.chance(0.1)) out.push(preRelease(ecosystem, `${base}.0`));
      const patches = rng.int(0, 5);
      for (let patch = 0; patch <= patches; patch++) {
        const short = patch === 0 && (ecosystem === 'PyPI' || ecosystem === 'Maven') && rng.chance(0.3);
        out.push(short ? base : `${base}.${patch}`);
        if (ecosystem === 'PyPI' && rng.chance(0.03)) out.push(`${out[out.length - 1]}.post1`);
      }
    }
  }
  return out.length >= 2 ? out : [...out, `${first + 9}.0.0`];
}

function preRelease(ecosystem: EcosystemName, version: string): string {
  if (ecosystem === 'PyPI') return `${version}rc1`;
  if (ecosystem === 'RubyGems') return `${version}.rc1`;
  if (ecosystem === 'Maven') return `${version}-RC1`;
  return `${version}-rc.1`;
}

function cvssVector(rng: Rng): string {
  const w = <T>(...items: [T, number][]) => rng.weighted(items);
  return `CVSS:3.1/AV:${w(['N', 8], ['A', 1], ['L', 2], ['P', 0.3])}/AC:${w(['L', 4], ['H', 1])}/PR:${w(['N', 5], ['L', 3], ['H', 1])}/UI:${w(['N', 3], ['R', 2])}/S:${w(['U', 4], ['C', 1])}/C:${w(['H', 3], ['L', 2], ['N', 2])}/I:${w(['H', 3], ['L', 2], ['N', 2])}/A:${w(['H', 3], ['L', 1], ['N', 2])}`;
}

const LABELS = new Map<string, string>();
/** The label GitHub gives: the band of the vector's base score (memoised: there are only 2,592 vectors). */
function labelFor(vector: string): string {
  let label = LABELS.get(vector);
  if (label === undefined) LABELS.set(vector, (label = cvssBand(cvssBaseScore({ type: 'CVSS_V3', score: vector }) ?? 0) ?? 'LOW'));
  return label;
}

function details(rng: Rng, pkg: string, intro: string, fix: string): string {
  const target = Math.round(300 * 2 ** (rng.next() * 3.7)); // 300 B to ~4 KB, log-uniform
  const fill = (s: string) =>
    s.replace('{pkg}', `\`${pkg}\``).replace('{fix}', fix).replace('{intro}', intro).replace('{input}', rng.pick(INPUTS)).replace('{effect}', rng.pick(EFFECTS)).replace('{part}', rng.pick(PARTS));
  const sections = ['### Impact\n\n', '\n\n### Patches\n\n', '\n\n### Workarounds\n\n', '\n\n### References\n\n'];
  let text = '';
  for (let s = 0; text.length < target; s++) {
    if (s % 3 === 0 && s / 3 < sections.length) text += sections[s / 3];
    else text += ' ';
    text += fill(rng.pick(SENTENCES));
  }
  return text;
}

function references(rng: Rng, pkg: GeneratedPackage, cve: string | undefined): { type: string; url: string }[] {
  const repo = pkg.ecosystem === 'Go' ? `https://${pkg.name.split('/').slice(0, 3).join('/')}` : `https://github.com/${tag(rng.int(0, 99999))}/${pkg.name.replace(/[@:/]/g, '-')}`;
  const refs = cve ? [{ type: 'ADVISORY', url: `https://nvd.nist.gov/vuln/detail/${cve}` }] : [];
  for (let i = rng.int(1, 10); i > 0; i--) {
    const sha = Array.from({ length: 5 }, () => Math.floor(rng.next() * 2 ** 32).toString(16).padStart(8, '0')).join('');
    refs.push(rng.weighted([[{ type: 'FIX', url: `${repo}/commit/${sha}` }, 3], [{ type: 'WEB', url: `${repo}/issues/${rng.int(10, 9000)}` }, 3], [{ type: 'WEB', url: `https://security.example-vendor.com/advisories/${rng.int(2017, 2025)}/${rng.int(1, 999)}` }, 2]]));
  }
  refs.push({ type: 'PACKAGE', url: repo });
  return refs;
}

/** One affected entry: 1–4 disjoint ranges over the package's releases, sometimes with the versions listed. */
function affectedEntry(rng: Rng, pkg: GeneratedPackage, semver: boolean, listVersions: boolean): Record<string, unknown> {
  const r = pkg.releases;
  const wanted = Math.min(rng.weighted([[1, 70], [2, 18], [3, 8], [4, 4]]), Math.floor(r.length / 2));
  const cuts = new Set<number>();
  while (cuts.size < wanted * 2) cuts.add(rng.int(0, r.length - 1));
  const sorted = [...cuts].sort((a, b) => a - b);
  const ranges: Record<string, string>[][] = [];
  const listed: string[] = [];
  for (let j = 0; j < wanted; j++) {
    const [a, b] = [sorted[2 * j]!, sorted[2 * j + 1]!];
    const introduced = j === 0 && rng.chance(0.35) ? '0' : r[a]!;
    const end = j === wanted - 1 && rng.chance(0.05) ? 'open' : rng.chance(0.82) ? 'fixed' : 'last_affected';
    const events: Record<string, string>[] = [{ introduced }];
    if (end !== 'open') events.push({ [end]: r[b]! });
    ranges.push(events);
    const stop = end === 'open' ? r.length : end === 'fixed' ? b : b + 1;
    listed.push(...r.slice(introduced === '0' ? 0 : a, stop));
  }
  return {
    package: { ecosystem: pkg.ecosystem, name: pkg.name },
    ranges: ranges.map((events) => ({ type: semver ? 'SEMVER' : 'ECOSYSTEM', events })),
    ...(listVersions ? { versions: listed.slice(0, 60) } : {}),
    ...(pkg.ecosystem === 'Go' ? { ecosystem_specific: { imports: [{ path: pkg.name, symbols: ['Parse', 'Handler.ServeHTTP'] }] } } : {}),
    ...(!semver && rng.chance(0.4) ? { database_specific: { last_known_affected_version_range: `<= ${r[r.length - 1]}` } } : {}),
  };
}

/**
 * `count` records over `count / 5` packages (so every corpus size has the same advisories per package):
 * 90% spread evenly, 10% on a hot 1% of packages, as a few packages collect dozens of advisories.
 */
export function generateOsvCorpus(count: number, seed = 20240601): OsvCorpus {
  const rng = new Rng(seed);
  const packages = Array.from({ length: Math.max(20, Math.round(count / 5)) }, (_, i) => makePackage(rng, i));
  const hot = Math.max(1, Math.round(packages.length / 100));
  const ids = new Set<string>();
  const records: Record<string, unknown>[] = [];
  let withdrawn = 0;
  for (let n = 0; n < count; n++) {
    const pkg = packages[rng.chance(0.1) ? rng.int(0, hot - 1) : rng.int(0, packages.length - 1)]!;
    const year = rng.int(2017, 2025);
    const kind = pkg.ecosystem === 'Go' && rng.chance(0.4) ? 'GO' : pkg.ecosystem === 'PyPI' && rng.chance(0.2) ? 'PYSEC' : 'GHSA';
    let id: string;
    do {
      id = kind === 'GHSA' ? `GHSA-${[0, 1, 2].map(() => Array.from({ length: 4 }, () => rng.char(GHSA_ALPHABET)).join('')).join('-')}` : `${kind}-${year}-${rng.int(1, 99999)}`;
    } while (ids.has(id));
    ids.add(id);
    const cve = rng.chance(0.85) ? `CVE-${year}-${rng.int(1000, 52999)}` : undefined;
    const published = `${year}-${String(rng.int(1, 12)).padStart(2, '0')}-${String(rng.int(1, 28)).padStart(2, '0')}T${String(rng.int(0, 23)).padStart(2, '0')}:14:07Z`;
    const affectedCount = rng.weighted([[1, 80], [2, 15], [3, 5]]);
    // Extra entries are backports of the same package or a sibling package of the same ecosystem.
    const siblings = [pkg, ...Array.from({ length: affectedCount - 1 }, () => (rng.chance(0.6) ? pkg : sibling(rng, packages, pkg)))];
    const affected = siblings.map((p) => affectedEntry(rng, p, kind === 'GO', kind === 'PYSEC' || rng.chance(0.25)));
    const firstRange = (affected[0]!['ranges'] as { events: Record<string, string>[] }[])[0]!.events;
    const vector = kind === 'GO' || rng.chance(0.05) ? undefined : cvssVector(rng);
    const flaw = rng.pick(FLAWS);
    const record: Record<string, unknown> = {
      schema_version: '1.4.0',
      id,
      modified: published.replace(/^\d{4}/, String(Math.min(2025, year + rng.int(0, 2)))),
      published,
      ...(rng.chance(0.02) ? { withdrawn: `${Math.min(2025, year + 1)}-03-02T11:20:00Z` } : {}),
      aliases: [...(cve ? [cve] : []), ...(kind !== 'GHSA' && rng.chance(0.7) ? [`GHSA-${tag(n)}-${tag(n + 7)}-${tag(n + 13)}`] : [])],
      summary: `${flaw} in ${pkg.name}${rng.chance(0.4) ? ` via the ${rng.pick(PARTS)}` : ''}`,
      details: details(rng, pkg.name, firstRange[0]!['introduced']!, Object.values(firstRange[1] ?? { fixed: 'a later release' })[0]!),
      ...(vector ? { severity: [{ type: 'CVSS_V3', score: vector }] } : {}),
      affected,
      references: references(rng, pkg, cve),
      ...(kind === 'GHSA'
        ? { database_specific: { cwe_ids: [rng.pick(CWES), ...(rng.chance(0.3) ? [rng.pick(CWES)] : [])], severity: vector ? labelFor(vector) : 'MODERATE', github_reviewed: true, github_reviewed_at: published, nvd_published_at: cve ? published : null } }
        : kind === 'GO' ? { database_specific: { url: `https://pkg.go.dev/vuln/${id}` } } : {}),
    };
    if (record['withdrawn']) withdrawn++;
    records.push(record);
  }
  return { records, packages, withdrawn };
}

function sibling(rng: Rng, packages: GeneratedPackage[], of: GeneratedPackage): GeneratedPackage {
  const start = rng.int(0, packages.length - 1);
  for (let i = 0; i < packages.length; i++) {
    const p = packages[(start + i) % packages.length]!;
    if (p.ecosystem === of.ecosystem && p !== of) return p;
  }
  return of;
}

export interface LookupPair {
  purl: string;
  version: string;
}

/** Lookups a checker would make: 70% packages with advisories, 30% packages without (the common case for a service). */
export function lookupPairs(corpus: OsvCorpus, count: number, seed = 7): LookupPair[] {
  const rng = new Rng(seed);
  const named = new Set(corpus.records.flatMap((r) => (r['affected'] as { package: { name: string } }[]).map((a) => a.package.name)));
  const withAdvisories = corpus.packages.filter((p) => named.has(p.name));
  const without = corpus.packages.filter((p) => !named.has(p.name));
  return Array.from({ length: count }, () => {
    const pkg = rng.chance(0.7) || without.length === 0 ? rng.pick(withAdvisories) : rng.pick(without);
    const version = rng.pick(pkg.releases);
    return { purl: pkg.purl, version: pkg.ecosystem === 'Go' && rng.chance(0.5) ? `v${version}` : version };
  });
}
