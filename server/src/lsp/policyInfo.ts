/** The policy info request: which policy governs a file (or where a new one goes) and the rules in force there. */
import * as path from 'node:path';
import { defaultPolicyText, plainText, RULES } from '../core/index.js';
import type { PolicyInfoParams, PolicyInfoResult } from '../shared/protocol.js';
import type { Workspace } from './workspace.js';

export async function policyInfo(params: PolicyInfoParams, workspace: Workspace): Promise<PolicyInfoResult> {
  const root = params.uri ? workspace.rootFor(workspace.fileOf(params.uri)) : workspace.allRoots()[0];
  const environment = params.uri ? await workspace.environmentFor(workspace.fileOf(params.uri)) : root ? await workspace.environmentForFolder(root) : undefined;
  const policy = environment?.loaded.policy;
  return {
    ...(environment?.loaded.file ? { file: environment.loaded.file } : root ? { createAt: path.join(root, '.playbooks', 'policy.yaml') } : {}),
    defaultText: defaultPolicyText(),
    rules: RULES.map((rule) => ({
      id: rule.id,
      name: rule.name,
      family: rule.family,
      summary: plainText(rule.summary), // a quick pick shows text as it is
      defaultSeverity: rule.defaultSeverity,
      severity: policy?.rules[rule.id] ?? rule.defaultSeverity,
    })),
  };
}
