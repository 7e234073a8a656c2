/**
 * Package URLs (https://github.com/package-url/purl-spec) as services name their package, mapped to
 * the OSV ecosystem and to that ecosystem's own spelling of the name (spec section 6).
 */
import { PackageURL } from 'packageurl-js';
import { ecosystemFor, type Ecosystem } from './ecosystems/index.js';

/** purl type → OSV ecosystem. `generic` (in-house services) has none: it matches records by purl only. */
export const PURL_TYPE_ECOSYSTEMS: Readonly<Record<string, string>> = {
  npm: 'npm',
  maven: 'Maven',
  pypi: 'PyPI',
  golang: 'Go',
  gem: 'RubyGems',
  nuget: 'NuGet',
  // SBOMs of PHP, Rust, Elixir, Dart, R, Haskell and C/C++ projects, and of GitHub workflows: their
  // OSV records name packages as these purls do (`laravel/framework`, `actions/checkout`), and
  // carry no purl to match by instead. Versions compare in the loose order (ranges of crates.io
  // and Hex are SEMVER ranges, compared as SemVer).
  composer: 'Packagist',
  cargo: 'crates.io',
  hex: 'Hex',
  pub: 'Pub',
  cran: 'CRAN',
  hackage: 'Hackage',
  conan: 'ConanCenter',
  githubactions: 'GitHub Actions',
};

export interface PurlPackage {
  type: string;
  /** Undefined for `generic` and for types without an OSV ecosystem here. */
  ecosystem: Ecosystem | undefined;
  /** The ecosystem's spelling: `@acme/checkout`, `org.apache.logging.log4j:log4j-core`, `github.com/dgrijalva/jwt-go`. */
  name: string;
  /** Type, namespace and name, normalised as the ecosystem compares names; version and qualifiers play no part. */
  key: string;
  version: string | undefined;
}

export type PurlResult = { package: PurlPackage } | { problem: string };

/**
 * Parsed purls, by their text: an SBOM's thousands of components are parsed when it is read and
 * looked up on every check. Bounded (oldest dropped first) so a stream of new purls cannot grow it.
 */
const parsedPurls = new Map<string, PurlResult>();
const MAX_PARSED_PURLS = 50_000;

export function parsePurl(text: string): PurlResult {
  let result = parsedPurls.get(text);
  if (result === undefined) {
    result = parseUncached(text);
    if (parsedPurls.size >= MAX_PARSED_PURLS) parsedPurls.delete(parsedPurls.keys().next().value!);
    parsedPurls.set(text, result);
  }
  return result;
}

function parseUncached(text: string): PurlResult {
  let purl: PackageURL;
  try {
    purl = PackageURL.fromString(text.trim());
  } catch (error) {
    const why = (error as Error).message.replace(/^Invalid purl:\s*/i, '');
    return { problem: `\`${text}\` is not a valid package URL (${why})` };
  }
  const ecosystemName = PURL_TYPE_ECOSYSTEMS[purl.type];
  const ecosystem = ecosystemName === undefined ? undefined : ecosystemFor(ecosystemName);
  const name = ecosystemSpelling(purl.type, purl.namespace ?? undefined, purl.name);
  const key = `${purl.type}/${ecosystem ? ecosystem.normalizeName(name) : name}`;
  return { package: { type: purl.type, ecosystem, name, key, version: purl.version ?? undefined } };
}

function ecosystemSpelling(type: string, namespace: string | undefined, name: string): string {
  if (!namespace) return name;
  return type === 'maven' ? `${namespace}:${name}` : `${namespace}/${name}`;
}
