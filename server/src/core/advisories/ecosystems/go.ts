import type { Ecosystem } from './ordering.js';
import { createSemVerOrdering } from './semverAnySize.js';

/**
 * Go versions are semver with a `v` prefix. `+incompatible` marks a v2+ release of a module
 * without a go.mod (`v3.2.0+incompatible`); it is not part of the order. Pseudo-versions
 * (`v0.0.0-20220314234659-1baeb1ce4c0b`) are semver pre-releases, so they sort by timestamp.
 */
function stripGoDecorations(version: string): string {
  return version.trim().replace(/^v(?=\d)/, '').replace(/\+incompatible$/, '');
}

export const go: Ecosystem = {
  name: 'Go',
  ordering: createSemVerOrdering('Go', stripGoDecorations),
  // Module paths are case-sensitive (github.com/Sirupsen/logrus and github.com/sirupsen/logrus are different modules).
  normalizeName: (name) => name.trim(),
};

const MAJOR_VERSION_SUFFIX = /^v\d+$/;

/**
 * The module paths that may contain the package `path`, nearest first, the path itself included.
 * Advisories often name a package inside a module (`golang.org/x/crypto/ssh`) while a service is
 * named by its module (`golang.org/x/crypto`). The walk stops at a major-version element (`/v4`),
 * because `github.com/dgrijalva/jwt-go/v4` is a different module from `github.com/dgrijalva/jwt-go`,
 * and keeps at least two path elements (no module is named by a bare host).
 */
export function goModuleCandidates(path: string): string[] {
  const parts = path.split('/');
  const out: string[] = [path];
  for (let end = parts.length - 1; end >= 2; end--) {
    if (MAJOR_VERSION_SUFFIX.test(parts[end]!)) break;
    out.push(parts.slice(0, end).join('/'));
  }
  return out;
}
