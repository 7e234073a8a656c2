/**
 * The ecosystems OSV exports (`<mirror>/<Ecosystem>/all.zip`), by their exact names, and which of
 * them a workspace's services need. The names come from the OSV schema's list (ossf/osv-schema,
 * ecosystems.json); a name is also the file `--update` writes, so only these names ever reach a path.
 */
import { didYouMean } from '../util/suggest.js';
import { parsePurl, PURL_TYPE_ECOSYSTEMS } from './purl.js';

const OSV_ECOSYSTEMS: readonly string[] = [
  'AlmaLinux', 'Alpine', 'Android', 'BellSoft', 'Bioconductor', 'Bitnami', 'Chainguard', 'ConanCenter', 'CRAN', 'crates.io',
  'Debian', 'GHC', 'GitHub Actions', 'Go', 'Hackage', 'Hex', 'Kubernetes', 'Linux', 'Mageia', 'Maven', 'npm', 'NuGet',
  'openSUSE', 'OSS-Fuzz', 'Packagist', 'Photon OS', 'Pub', 'PyPI', 'Red Hat', 'Rocky Linux', 'RubyGems', 'SUSE', 'SwiftURL',
  'Ubuntu', 'Wolfi',
];

const KNOWN = new Set(OSV_ECOSYSTEMS);

/**
 * `--ecosystems npm,PyPI`: each name exactly as OSV spells it (the bucket's paths are
 * case-sensitive), each once, in the order given; or the first name that is not one.
 */
export function parseEcosystemList(text: string): { ecosystems: string[] } | { problem: string } {
  const names = text.split(',').map((n) => n.trim());
  if (names.every((n) => n === '')) return { problem: 'names no ecosystem' };
  const out: string[] = [];
  for (const name of names) {
    if (name === '') return { problem: `has an empty name in \`${text}\`` };
    if (!KNOWN.has(name)) return { problem: `\`${name}\` is not an OSV ecosystem${didYouMean(name, OSV_ECOSYSTEMS)} (OSV's names: ${OSV_ECOSYSTEMS.join(', ')})` };
    if (!out.includes(name)) out.push(name);
  }
  return { ecosystems: out };
}

export interface ServiceEcosystems {
  /** OSV ecosystems to download, sorted. */
  ecosystems: string[];
  /** Package URLs that need none, and why (each kind said once). */
  notes: string[];
}

/**
 * The ecosystems the services' package URLs map to (the spec's purl-type mapping). `pkg:generic`
 * services have no public ecosystem: their advisories are the security team's own records. A purl
 * type without a mapping is matched by no OSV ecosystem here, so downloading one would not help it.
 */
export function ecosystemsOfPurls(purls: Iterable<string>): ServiceEcosystems {
  const ecosystems = new Set<string>();
  const generic = new Set<string>();
  const unmapped = new Set<string>();
  let invalid = 0;
  for (const purl of purls) {
    const parsed = parsePurl(purl);
    if ('problem' in parsed) {
      invalid++;
      continue;
    }
    const ecosystem = PURL_TYPE_ECOSYSTEMS[parsed.package.type];
    if (ecosystem !== undefined) ecosystems.add(ecosystem);
    else if (parsed.package.type === 'generic') generic.add(parsed.package.name);
    else unmapped.add(parsed.package.type);
  }
  const notes: string[] = [];
  if (generic.size) notes.push(`pkg:generic services have no public ecosystem to download (their advisories are your own records): ${[...generic].sort().join(', ')}`);
  if (unmapped.size) notes.push(`no OSV ecosystem is matched to these package URL types here: ${[...unmapped].sort().map((t) => `pkg:${t}`).join(', ')}`);
  if (invalid) notes.push(`${invalid} service package URL${invalid === 1 ? ' is' : 's are'} not valid (\`playbook check\` says which, PB110) and ${invalid === 1 ? 'is' : 'are'} not counted`);
  return { ecosystems: [...ecosystems].sort(), notes };
}
