/** Hover on a step id (its own `id` or a reference to it): what the step does and what guards it. */
import { guardingCheckpoints } from '../../graph/checkpointGuards.js';
import { reachableFrom } from '../../graph/flowGraph.js';
import { isRisky, isSecurityCheckpoint, namesSecurityChannel, securityChannel, tellsSecurity } from '../../graph/securitySteps.js';
import type { StepModel } from '../../parse/model.js';
import { riskNote } from '../completion/policyNotes.js';
import type { Analysis } from '../types.js';
import { describeStep } from './describeStep.js';
import { shownText } from './shownText.js';

export function stepMarkdown(step: StepModel, analysis: Analysis): string {
  const shown = shownText(analysis.parsed);
  const parts = [`**${shown.tool(step.label)}** ${describeStep(step, analysis.parsed)}.`];
  if (step.action !== undefined) {
    const note = riskNote(step.action, analysis.policy);
    parts.push(`Action ${shown.code(step.action)}${note ? `, ${note}` : ''}.`);
  }
  if (isSecurityCheckpoint(step, analysis.policy)) parts.push('A security checkpoint under your policy: its approval guards the risky steps after it.');
  if (namesSecurityChannel(step)) parts.push(securityNoticeText(step, analysis));
  const guard = guardText(step, analysis);
  if (guard) parts.push(guard);
  return parts.join('\n\n');
}

/** Whether the notification tells security, the way PB102 and the dry-run decide it. */
function securityNoticeText(step: StepModel, analysis: Analysis): string {
  const channel = securityChannel(analysis.parsed);
  if (tellsSecurity(step, channel)) return 'Tells security: it counts for PB102 after the changes before it.';
  return `Tells security nothing: ${channel.declared ? 'it is not a notification to the declared `security` channel' : `${shownText(analysis.parsed).tool(channel.why)}, so the message reaches no one`}, and PB102 does not count it.`;
}

/** Whether a security checkpoint guards the step, the way PB100 decides it. */
function guardText(step: StepModel, analysis: Analysis): string | undefined {
  const graph = analysis.graph();
  const { model } = analysis.parsed;
  const policy = analysis.policy;
  if (step.index >= graph.exit) return undefined;
  const nearest = guardingCheckpoints(graph, model, policy)[step.index] ?? -1;
  const name = (s: StepModel): string => (s.id === undefined ? s.label : shownText(analysis.parsed).code(s.id));
  if (nearest >= 0) return `Guarded by the security checkpoint ${name(model.steps[nearest]!)}: its approval is on every path from the start to this step.`;
  const required = graph.requires[step.index]!.map((r) => model.steps[r.target]!).filter((s) => isSecurityCheckpoint(s, policy));
  if (required.length) return `Guarded by the security checkpoint${required.length > 1 ? 's' : ''} ${required.map(name).join(', ')} in its \`requires\`.`;
  if (!isRisky(step, policy)) return 'No security checkpoint guards it; it is not risky, so it needs none.';
  const unguarded = [...analysis.findings, ...analysis.suppressed].find((f) => f.ruleId === 'PB100' && f.stepIndex === step.index);
  if (unguarded) return 'Not guarded: a path from the start reaches it without an approved security checkpoint (PB100).';
  if (!reachableFrom(graph, 0)[step.index]) return 'No path from the start reaches it (PB006).';
  if (policy.rules['PB100'] === 'off') return 'Whether a security checkpoint guards it is not checked: PB100 is off in your policy.';
  return 'Guarded: every path from the start to it passes an approved security checkpoint, or one it requires.';
}

