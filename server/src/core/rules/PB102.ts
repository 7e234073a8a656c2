/**
 * PB102: after a change the policy names (`rollback`, `deploy`, `access-grant` by default), every way
 * to the end must notify the `security` channel.
 *
 * Paths start with the change's success edge: if the change itself fails, nothing changed. Later
 * failures do count: a step that fails with `abort` before the notification leaves security
 * uninformed of a change that did happen. A notify-security step counts whatever its outcome.
 * One backward search from the exit over steps that are not notify-security finds every step that
 * can still reach the end uninformed; a change is flagged when its successor is one of them.
 */
import { reachableFrom } from '../graph/flowGraph.js';
import { pathsToExit, prependStep } from '../graph/flowPaths.js';
import { reportPath } from '../graph/pathReport.js';
import { describeChange, isSecurityNotify, SECURITY_CHANNEL, successTarget } from '../graph/securitySteps.js';
import { nodeRange } from '../parse/yamlNodes.js';
import type { Finding } from '../types.js';
import { report, type RuleDefinition } from './rule.js';

export const PB102: RuleDefinition = {
  id: 'PB102',
  name: 'security-not-notified',
  family: 'security',
  defaultSeverity: 'error',
  summary: 'After a `rollback`, `deploy` or `access-grant`, some path to an exit never notifies the `security` channel.',
  check({ parsed, policy, graph }) {
    const g = graph();
    const steps = parsed.model.steps;
    const changes = steps.filter((s) => s.actionNode && s.action !== undefined && policy.notifySecurityAfter.has(s.action));
    if (!changes.length) return [];
    const reached = reachableFrom(g, 0);
    const notifies = steps.map((s) => isSecurityNotify(s));
    const uninformed = pathsToExit(g, (edge) => !notifies[edge.from]);
    const hasSecurityChannel = parsed.model.channels.has(SECURITY_CHANNEL);
    const out: Finding[] = [];
    for (const step of changes) {
      const successor = successTarget(g, step.index);
      // Steps no path reaches are PB006 findings: their change never happens.
      if (!reached[step.index] || !uninformed.reaches(successor)) continue;
      const path = reportPath(parsed, prependStep({ index: step.index, failed: false }, uninformed.pathFrom(successor)), {
        end: '(exit)',
        conclusion: 'security is never notified on this path',
      });
      const channelHint = hasSecurityChannel ? '' : `, and add a \`${SECURITY_CHANNEL}\` key under \`channels\` (the playbook has none)`;
      out.push(report(PB102, {
        message: `${step.label}: after ${describeChange(step)}, a path reaches the end without notifying security; add a \`notify\` step with \`channel: ${SECURITY_CHANNEL}\` after it${channelHint}`,
        range: nodeRange(step.actionNode),
        related: path.related,
        data: { stepId: step.id, path: path.ids, hasSecurityChannel },
        stepIndex: step.index,
      }));
    }
    return out;
  },
};
