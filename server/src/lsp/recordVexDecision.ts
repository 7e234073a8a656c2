/**
 * "Record security's decision (VEX)": the statement goes to `decisions.openvex.json` in the first
 * of the policy's `vex` folders (by default `.playbooks/vex/`), created if need be, added to what
 * is there (core/releases/vexRecord.ts), written all at once. The folder must lie inside the
 * workspace folder: a policy cannot have the editor write elsewhere. Then every playbook is checked
 * again, so the finding the decision removes goes at once.
 */
import { randomUUID } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { recordVexDecision } from '../core/index.js';
import { readFileSafely } from '../node/readFile.js';
import { isInside } from '../node/pathInside.js';
import { policyPaths } from '../node/policyPaths.js';
import { writeFileAtomically } from '../node/writeFile.js';
import type { RecordVexDecisionParams, RecordVexDecisionResult } from '../shared/protocol.js';
import type { Workspace } from './workspace.js';

const FILE_NAME = 'decisions.openvex.json';
const MAX_BYTES = 64 * 1024 * 1024;

export async function recordVex(params: RecordVexDecisionParams, workspace: Workspace, now: () => Date, recheck: () => Promise<void>): Promise<RecordVexDecisionResult> {
  const playbook = workspace.fileOf(params.uri);
  const root = workspace.rootFor(playbook);
  const { loaded } = await workspace.environmentFor(playbook);
  const [folder] = policyPaths(loaded.policy.vex, loaded.file, root);
  if (folder === undefined) return { problem: 'the policy names no `vex` folder; add one (e.g. `vex: [.playbooks/vex]`) to record decisions' };
  if (folder !== root && !isInside(folder, root)) return { problem: `the policy's vex folder ${folder} lies outside the workspace folder ${root}; decisions are written only inside it` };
  const file = path.join(folder, FILE_NAME);
  const read = await readFileSafely(file, MAX_BYTES);
  let existing: string | undefined;
  if ('error' in read) {
    if (!/no such file/.test(read.error)) return { problem: `${file} cannot be read (${read.error}); nothing was written` };
  } else if (read.size > MAX_BYTES) {
    return { problem: `${file} is over 64 MB; nothing was written` };
  } else {
    existing = new TextDecoder().decode(read.bytes);
  }
  const { uri: _, componentName: __, ...decision } = params;
  const recorded = recordVexDecision(existing, { ...decision, timestamp: now().toISOString(), documentId: `urn:uuid:${randomUUID()}` });
  if ('problem' in recorded) return { problem: `${path.relative(root, file)}: ${recorded.problem}` };
  try {
    await fs.mkdir(folder, { recursive: true });
    writeFileAtomically(file, [recorded.text], 0o644);
  } catch (error) {
    return { problem: `${file} cannot be written (${(error as NodeJS.ErrnoException).code ?? String(error)})` };
  }
  workspace.invalidate();
  await recheck();
  return { file };
}
