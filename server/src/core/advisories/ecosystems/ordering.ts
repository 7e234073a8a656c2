/** What every ecosystem supplies to advisory matching: its version order and its package-name spelling. */

/**
 * A total order over one ecosystem's version strings. `parse` returns undefined for text the
 * ecosystem would not accept as a version; `compare` only ever sees values `parse` returned.
 */
export interface VersionOrdering<Parsed = unknown> {
  /** Shown in messages: "`x` is not a valid Maven version". */
  readonly name: string;
  parse(version: string): Parsed | undefined;
  compare(a: Parsed, b: Parsed): number;
  /**
   * Why the ecosystem's tools refuse `version` today although `parse` orders it, so that old
   * advisory data stays readable (PyPI's pre-PEP 440 "legacy" versions); undefined otherwise.
   * Such a version is never the one being checked: where it sorts is the old tools' guess, and a
   * service at `2.0-custom` would pass as older than every release.
   */
  legacy?(version: string): string | undefined;
}

export interface Ecosystem {
  /** The OSV ecosystem name (`npm`, `Maven`, `PyPI`, `Go`, `RubyGems`, `NuGet`), or the name of the fallback. */
  readonly name: string;
  readonly ordering: VersionOrdering;
  /** The key two spellings of one package share in this ecosystem (e.g. PyPI `PyYAML` and `pyyaml`). */
  normalizeName(name: string): string;
}

/**
 * Sorts version strings oldest first; strings the ordering cannot parse are dropped.
 * Equal versions keep their first spelling only.
 */
export function sortVersions(ordering: VersionOrdering, versions: Iterable<string>): string[] {
  const parsed: { text: string; value: unknown }[] = [];
  for (const text of versions) {
    const value = ordering.parse(text);
    if (value !== undefined) parsed.push({ text, value });
  }
  parsed.sort((x, y) => ordering.compare(x.value, y.value));
  return parsed.filter((p, i) => i === 0 || ordering.compare(parsed[i - 1]!.value, p.value) !== 0).map((p) => p.text);
}

/**
 * A version to be checked (a service's version, a version asked about): parsed only when the
 * ecosystem accepts it today. Undefined otherwise; `invalidVersion` says why.
 */
export function parseCheckedVersion(ordering: VersionOrdering, version: string): unknown {
  return ordering.legacy?.(version) !== undefined ? undefined : ordering.parse(version);
}

/** Why a version cannot be checked, or undefined when it can: "`banana` is not a valid npm version". */
export function invalidVersion(ordering: VersionOrdering, version: string): string | undefined {
  if (parseCheckedVersion(ordering, version) !== undefined) return undefined;
  return `${version.trim() === '' ? 'an empty version' : `\`${version}\``} is not a valid ${ordering.name} version`;
}
