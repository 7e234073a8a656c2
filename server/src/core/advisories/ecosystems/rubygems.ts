import * as rubySemver from '@renovatebot/ruby-semver';
import type { Ecosystem } from './ordering.js';

/**
 * Gem::Version order, by a port of RubyGems' own code: any letter segment makes a pre-release
 * (`1.11.0.rc4` < `1.11.0`) and trailing zeros do not count (`1.0` == `1.0.0`).
 */
export const rubygems: Ecosystem = {
  name: 'RubyGems',
  ordering: {
    name: 'RubyGems',
    parse: (version: string) => (rubySemver.valid(version.trim()) === null ? undefined : version.trim()),
    compare: (a: string, b: string) => (rubySemver.lt(a, b) ? -1 : rubySemver.gt(a, b) ? 1 : 0),
  },
  // Gem names are case-sensitive and `-`/`_` are distinct on rubygems.org.
  normalizeName: (name) => name.trim(),
};
