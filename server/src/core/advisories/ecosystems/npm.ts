import type { Ecosystem } from './ordering.js';
import { createSemverOrdering } from './semverLenient.js';

export const npm: Ecosystem = {
  name: 'npm',
  ordering: createSemverOrdering('npm'),
  /**
   * Case-insensitive: the registry has refused new upper-case names since 2017 and the purl spec
   * lower-cases npm names, yet advisories keep old spellings (GHSA-8hc4-vh64-cxmj names `Axios`).
   * Matching exactly would miss such records; the few legacy upper-case packages are not worth that risk.
   */
  normalizeName: (name) => name.trim().toLowerCase(),
};
