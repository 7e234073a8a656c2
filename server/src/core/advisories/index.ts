/** The advisory matcher's public face: read records, index them, look services up, suggest safe versions. */
export { parseOsvRecord, type OsvParseResult } from './osvRecord.js';
export { AdvisoryIndex, type AdvisoryInput, type AdvisoryMatch, type AdvisoryCounts, type AdvisoryExplanation } from './advisoryIndex.js';
export { parsePurl, PURL_TYPE_ECOSYSTEMS, type PurlPackage, type PurlResult } from './purl.js';
export { isAffected, type AffectedVerdict } from './rangeEval.js';
export { serviceOrdering, unreadableVersion } from './serviceVersion.js';
export { safeVersions, type SafeVersion, type SafeVersionOptions, type ServiceVersions } from './safeVersions.js';
export { advisorySeverity, cvssBand, type SeverityVerdict } from './severity.js';
export { ecosystemFor, sortVersions, compareVersionText, type Ecosystem, type VersionOrdering } from './ecosystems/index.js';
export type { AdvisorySeverity, OsvAffected, OsvRecord } from './types.js';
