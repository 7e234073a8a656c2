/**
 * PB102: after a change the policy names (`rollback`, `deploy`, `access-grant` by default), every way
 * to the end must notify the `security` channel.
 *
 * Paths start with the change's success edge: if the change itself fails, nothing changed. Later
 * failures do count: a step that fails with `abort` before the notification leaves security
 * uninformed of a change that did happen. A notify-security step counts whatever its outcome, but
 * only when `channels` declares `security` (securitySteps.ts): a message to a channel that does not
 * exist reaches no one. One backward search from the exit over steps that do not tell security
 * finds every step that can still reach the end uninformed; a change is flagged when its successor
 * is one of them. The finding counts those paths and lists the first few (graph/pathSpace.ts). The
 * search is `uninformedPaths`, which the flow view lights up too (graph/pathQuery.ts).
 */
import { reachableFrom } from '../graph/flowGraph.js';
import { countWords, PATHS_LISTED, pathsReach, reportPaths } from '../graph/pathReport.js';
import { breakingPaths, type PathQuery } from '../graph/pathQuery.js';
import { describeChange, namesSecurityChannel, SECURITY_CHANNEL, securityChannel, tellsSecurity, type SecurityChannel } from '../graph/securitySteps.js';
import type { StepModel } from '../parse/model.js';
import { nodeRange } from '../parse/yamlNodes.js';
import type { Finding } from '../types.js';
import { report, type PathContext, type RuleDefinition } from './rule.js';

export const PB102: RuleDefinition = {
  id: 'PB102',
  name: 'security-not-notified',
  family: 'security',
  defaultSeverity: 'error',
  summary: 'After a `rollback`, `deploy` or `access-grant`, some path to an exit never notifies the `security` channel.',
  reads: ['steps', 'channels'],
  check(context) {
    const { parsed, policy } = context;
    const g = context.graph();
    const steps = parsed.model.steps;
    const changes = steps.filter((s) => s.actionNode && s.action !== undefined && policy.notifySecurityAfter.has(s.action));
    if (!changes.length) return [];
    const reached = reachableFrom(g, 0);
    const channel = securityChannel(parsed);
    const uninformed = breakingPaths(g, uninformedPaths(context, channel));
    // Where the notifications would reach security if the channel were declared: then declaring it is the whole fix.
    const notifiers = steps.filter((s) => namesSecurityChannel(s));
    const uninformedIfDeclared = channel.declared ? uninformed : breakingPaths(g, uninformedPaths(context, AS_IF_DECLARED));
    const out: Finding[] = [];
    for (const step of changes) {
      // Steps no path reaches are PB006 findings: their change never happens.
      if (!reached[step.index] || !uninformed.reaches(step.index)) continue;
      const count = uninformed.count(step.index);
      const shown = uninformed.list(step.index, PATHS_LISTED).map((path) => ({ path, conclusion: 'security is never notified on this path' }));
      const paths = reportPaths(parsed, shown, count, { end: '(exit)' });
      const declareOnly = !channel.declared && !uninformedIfDeclared.reaches(step.index);
      out.push(report(PB102, {
        message: messageFor(step, channel, declareOnly, notifiers, { count, listing: paths.listing }),
        range: nodeRange(step.actionNode),
        related: paths.related,
        data: { stepId: step.id, ...paths.data, hasSecurityChannel: channel.declared, ...(channel.declared ? {} : { channelProblem: channel.problem, declareChannelOnly: declareOnly }) },
        stepIndex: step.index,
      }));
    }
    return out;
  },
  pathQueries(context) {
    const query = uninformedPaths(context, securityChannel(context.parsed));
    return () => query;
  },
};

/** PB102's paths: from the change's success edge to the exit, through no step that tells security on `channel`. */
function uninformedPaths({ parsed }: PathContext, channel: SecurityChannel): PathQuery {
  const tells = parsed.model.steps.map((s) => tellsSecurity(s, channel));
  return { ends: 'success-to-exit', follows: (edge) => !tells[edge.from] };
}

/** The `security` channel as if `channels` declared it: the same search then says whether declaring it is the whole fix. */
const AS_IF_DECLARED: SecurityChannel = { declared: true, target: SECURITY_CHANNEL };

function messageFor(step: StepModel, channel: SecurityChannel, declareOnly: boolean, notifiers: readonly StepModel[], paths: { count: number; listing: string }): string {
  const head = `${step.label}: after ${describeChange(step)}`;
  const addNotify = `add a \`notify\` step with \`channel: ${SECURITY_CHANNEL}\` after it`;
  const uninformed = `${pathsReach(paths.count)} the end without notifying security (${paths.listing})`;
  if (channel.declared) return `${head}, ${uninformed}; ${addNotify}`;
  const declare = channel.problem === 'empty'
    ? `give the \`${SECURITY_CHANNEL}\` key under \`channels\` a channel`
    : channel.problem === 'channels-not-a-map'
      ? `make \`channels\` a map with a \`${SECURITY_CHANNEL}\` key`
      : `add a \`${SECURITY_CHANNEL}\` key under \`channels\``;
  const named = notifiers.map((s) => (s.id === undefined ? s.label : `\`${s.id}\``));
  const undeclared = named.length
    ? `${named.join(', ')} ${named.length === 1 ? 'notifies' : 'notify'} the channel \`${SECURITY_CHANNEL}\`, which is not declared (${channel.why}), so the message reaches no one`
    : `the channel \`${SECURITY_CHANNEL}\` is not declared (${channel.why})`;
  if (declareOnly) {
    const onPaths = paths.count === 1 ? 'the only path' : `any of the ${countWords(paths.count)} paths`;
    return `${head}, security is never told on ${onPaths} to the end (${paths.listing}): ${undeclared}; ${declare}`;
  }
  return `${head}, ${uninformed}, and ${undeclared}; ${addNotify}, and ${declare}`;
}
