/** The advisory matcher's public face: read records, index them, look services up, suggest safe versions. */
export { parseOsvRecord } from './osvRecord.js';
export { AdvisoryIndex, type AdvisoryInput, type AdvisoryMatch, type AdvisoryExplanation } from './advisoryIndex.js';
export { parsePurl } from './purl.js';
export { serviceOrdering, unreadableVersion } from './serviceVersion.js';
export { clearOfLoaded, safeVersions, type SafeVersion } from './safeVersions.js';
export { sortVersions, type VersionOrdering } from './ecosystems/index.js';
export type { OsvRecord } from './types.js';
