/**
 * PB103: `owners.security` with a placeholder handle for the team to correct, under `owners` at the
 * column of its other roles; a playbook without `owners` gets the map after its `title`.
 */
import { compact, quickFix, type FixProvider } from './fixContext.js';
import { addRootEntry } from './rootMaps.js';
import { doubleQuoted } from './scalars.js';

const SECURITY_OWNER_PLACEHOLDER = '@security-oncall';

export const securityOwnerFix: FixProvider = (finding, context) => {
  const edit = addRootEntry(context, 'owners', 'security', doubleQuoted(SECURITY_OWNER_PLACEHOLDER), { after: ['title', 'playbook'], before: 'steps' });
  return compact([quickFix(`Add \`owners.security\` (placeholder \`${SECURITY_OWNER_PLACEHOLDER}\`)`, finding, [edit], true)]);
};
