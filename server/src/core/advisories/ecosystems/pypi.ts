import * as pep440 from '@renovatebot/pep440';
import type { Ecosystem } from './ordering.js';

/** PEP 440 order (`5.4b1` < `5.4`, `3.2` == `3.2.0`, `1.0.post1` > `1.0`), by a library that follows the PEP. */
export const pypi: Ecosystem = {
  name: 'PyPI',
  ordering: {
    name: 'PyPI',
    parse: (version: string) => (pep440.valid(version.trim()) === null ? undefined : version.trim()),
    compare: (a: string, b: string) => pep440.compare(a, b),
  },
  /** PEP 503: names compare lower-cased with runs of `-`, `_` and `.` as one `-` (`PyYAML` is `pyyaml`). */
  normalizeName: (name) => name.trim().toLowerCase().replace(/[-_.]+/g, '-'),
};
