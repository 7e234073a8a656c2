/** A playbook's text read as `check` reads it, for the commands that read one file: size-limited (a file over the policy's limit is refused, never cut short) and decoded as UTF-8; or why it cannot be. */
import { decodeBytes, effectiveLimits, sizeLimitFinding, type Policy } from '../core/index.js';
import { readFileSafely } from './readFile.js';

export async function readPlaybookText(file: string, policy: Policy): Promise<{ text: string } | { problem: string }> {
  const limits = effectiveLimits(policy.limits);
  const read = await readFileSafely(file, limits.maxDocumentLength);
  if ('error' in read) return { problem: read.error };
  if (read.size > limits.maxDocumentLength) return { problem: sizeLimitFinding(read.size, limits).message };
  const decoded = decodeBytes(read.bytes);
  return 'finding' in decoded ? { problem: decoded.finding.message } : { text: decoded.text };
}
