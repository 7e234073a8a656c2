import * as pep440 from '@renovatebot/pep440';
import type { Ecosystem, VersionOrdering } from './ordering.js';
import { compareLegacyPyPIVersions, parseLegacyPyPIVersion, type LegacyPyPIVersion } from './pypiLegacy.js';

type PyPIVersion = { legacy: false; text: string } | LegacyPyPIVersion;

const isPep440 = (text: string): boolean => pep440.valid(text) !== null;

/**
 * PEP 440 order (`5.4b1` < `5.4`, `3.2` == `3.2.0`, `1.0.post1` > `1.0`), by a library that follows
 * the PEP. Other non-empty text is a legacy version: ordered below every PEP 440 version, as pip
 * did before packaging 22, so old advisory data still reads; never a version to check.
 */
const pypiOrdering: VersionOrdering<PyPIVersion> = {
  name: 'PyPI',
  parse: (version) => {
    const text = version.trim();
    if (text === '') return undefined;
    return isPep440(text) ? { legacy: false, text } : parseLegacyPyPIVersion(text);
  },
  compare: (a, b) => {
    if (a.legacy || b.legacy) return a.legacy && b.legacy ? compareLegacyPyPIVersions(a, b) : a.legacy ? -1 : 1;
    return Math.sign(pep440.compare(a.text, b.text));
  },
  legacy: (version) => {
    const text = version.trim();
    return text === '' || isPep440(text) ? undefined : 'a legacy, pre-PEP 440 version: current pip refuses it, and older pip sorted it below every PEP 440 release';
  },
};

export const pypi: Ecosystem = {
  name: 'PyPI',
  ordering: pypiOrdering,
  /** PEP 503: names compare lower-cased with runs of `-`, `_` and `.` as one `-` (`PyYAML` is `pyyaml`). */
  normalizeName: (name) => name.trim().toLowerCase().replace(/[-_.]+/g, '-'),
};
