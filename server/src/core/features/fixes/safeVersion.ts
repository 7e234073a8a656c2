/**
 * PB101: one fix per safe version the rule found (`data.safeVersions`, best first, spec section 6),
 * written in the quoting of the affected version; the first is preferred.
 */
import { isScalar } from 'yaml';
import { clearOfLoaded } from '../../advisories/index.js';
import { compact, quickFix, stepOf, type FixProvider } from './fixContext.js';
import { replaceScalar } from './scalars.js';
import { versionMentionEdits } from './versionMentions.js';

interface SafeVersionData {
  version: string;
  why: string;
  known?: boolean;
}

export const safeVersionFix: FixProvider = (finding, context) => {
  const step = stepOf(finding, context);
  const verb = step?.action === 'deploy' ? 'Deploy' : 'Roll back to';
  const safe = safeVersionsOf(finding.data?.['safeVersions']);
  // How much data "safe" rests on: an advisory update may change it.
  const records = finding.data?.['advisoryRecords'];
  const checked = typeof records === 'number' ? `; ${clearOfLoaded(records)}` : '';
  const target = step?.pairs.get(step.action === 'deploy' ? 'version' : 'to')?.value;
  const from = isScalar(target) ? String(target.value) : undefined;
  const service = step?.pairs.get('service')?.value;
  const serviceName = isScalar(service) ? String(service.value) : undefined;
  return compact(safe.map((s, i) => {
    const unknown = s.known === false ? "; not yet in 'releases'" : '';
    // The notify messages that named the old version say the new one.
    const messages = from !== undefined && serviceName !== undefined ? versionMentionEdits(context.text, context.steps, context.analysis.parsed.model.services, serviceName, from, s.version) : { edits: [], steps: [] };
    const also = messages.steps.length ? `; also in the message${messages.steps.length === 1 ? '' : 's'} of ${messages.steps.join(', ')}` : '';
    return quickFix(`${verb} ${s.version} instead (${s.why}${checked}${unknown}${also})`, finding, [replaceScalar(context.text, finding.range, s.version), ...messages.edits], i === 0);
  }));
};

function safeVersionsOf(value: unknown): SafeVersionData[] {
  if (!Array.isArray(value)) return [];
  return value.filter((v): v is SafeVersionData => typeof v === 'object' && v !== null && typeof v.version === 'string' && typeof v.why === 'string');
}
