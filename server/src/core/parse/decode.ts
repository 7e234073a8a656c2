/** Bytes → text for a playbook or policy, refusing what is not UTF-8 text with a finding. */
import type { Finding } from '../types.js';

const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

export type Decoded = { text: string } | { finding: Finding };

export function decodeBytes(bytes: Uint8Array): Decoded {
  const nul = bytes.indexOf(0);
  if (nul !== -1) {
    return { finding: { ruleId: 'PB001', severity: 'error', message: `the file holds binary data (a NUL byte at byte ${nul}), not YAML text; is this really a playbook?`, range: { start: 0, end: 0 } } };
  }
  try {
    return { text: UTF8.decode(bytes) };
  } catch {
    return { finding: { ruleId: 'PB001', severity: 'error', message: 'the file is not valid UTF-8 text; save it as UTF-8', range: { start: 0, end: 0 } } };
  }
}
