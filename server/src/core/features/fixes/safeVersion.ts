/**
 * PB101: one fix per safe version the rule found (`data.safeVersions`, best first, spec section 6),
 * written in the quoting of the affected version; the first is preferred.
 */
import { compact, quickFix, stepOf, type FixProvider } from './fixContext.js';
import { replaceScalar } from './scalars.js';

interface SafeVersionData {
  version: string;
  why: string;
  known?: boolean;
}

export const safeVersionFix: FixProvider = (finding, context) => {
  const step = stepOf(finding, context);
  const verb = step?.action === 'deploy' ? 'Deploy' : 'Roll back to';
  const safe = safeVersionsOf(finding.data?.['safeVersions']);
  return compact(safe.map((s, i) => {
    const unknown = s.known === false ? '; not yet in `releases`' : '';
    return quickFix(`${verb} ${s.version} instead (${s.why}${unknown})`, finding, [replaceScalar(context.text, finding.range, s.version)], i === 0);
  }));
};

function safeVersionsOf(value: unknown): SafeVersionData[] {
  if (!Array.isArray(value)) return [];
  return value.filter((v): v is SafeVersionData => typeof v === 'object' && v !== null && typeof v.version === 'string' && typeof v.why === 'string');
}
