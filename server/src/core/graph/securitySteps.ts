/**
 * What the security rules look for in steps, read the same way by every rule and by later features
 * (code lens, dry-run). A step whose action or fields are missing matches nothing here: PB002
 * reports it, and guessing what it meant would hide or invent security findings.
 */
import { isAlias, isMap, isScalar, type Node } from 'yaml';
import type { ParsedPlaybook, PlaybookModel, StepModel } from '../parse/model.js';
import { findPair, getNode, scalarText } from '../parse/yamlNodes.js';
import type { Policy } from '../policy/policy.js';
import type { FlowEdge, FlowGraph } from './flowGraph.js';

/** The channel role that PB102 looks for (spec section 2, `channels`). */
export const SECURITY_CHANNEL = 'security';

/** A step field written as a scalar, with its node. */
export function stepField(step: StepModel, key: string): { value: string; node: Node } | undefined {
  const node = step.pairs.get(key)?.value as Node | undefined;
  const value = scalarText(node);
  return value === undefined || node === undefined ? undefined : { value, node };
}

/** `action: checkpoint` with a `kind` the policy counts as a security checkpoint. */
export function isSecurityCheckpoint(step: StepModel, policy: Policy): boolean {
  if (step.action !== 'checkpoint') return false;
  const kind = stepField(step, 'kind')?.value;
  return kind !== undefined && policy.securityCheckpoints.has(kind);
}

/**
 * Whether `channels` declares a channel with somewhere to send to. A message to a channel that is
 * not declared, or declared with nothing (`security:`, `security: ""`, `security: false`), reaches
 * no one, so notifying the `security` channel then tells security nothing (docs/rules/PB102.md).
 */
export type DeclaredChannel =
  | { declared: true; target: string }
  | {
    declared: false;
    /** `missing`: no such key (or no `channels`); `empty`: the key holds no channel; `channels-not-a-map`: `channels` is a list or a scalar. */
    problem: 'missing' | 'empty' | 'channels-not-a-map';
    /** Why, for messages: "the playbook has no `channels`". */
    why: string;
  };

export type SecurityChannel = DeclaredChannel;

export function declaredChannel(parsed: ParsedPlaybook, name: string): DeclaredChannel {
  const channelsNode = getNode(parsed.yaml?.contents, 'channels');
  const declared = parsed.model.channels.get(name);
  if (declared) {
    // The model reads `false` as text; a YAML boolean is no channel to send to.
    const value = isMap(channelsNode) ? findPair(channelsNode, name)?.value : undefined;
    const notText = isScalar(value) && typeof value.value === 'boolean';
    const target = declared.target?.trim();
    if (target && !notText) return { declared: true, target: declared.target! };
    return { declared: false, problem: 'empty', why: `\`channels.${name}\` ${notText ? `is \`${declared.target}\`, not a channel` : 'is empty'}` };
  }
  if (channelsNode === undefined) return { declared: false, problem: 'missing', why: 'the playbook has no `channels`' };
  if (isScalar(channelsNode) && channelsNode.value === null) return { declared: false, problem: 'missing', why: '`channels` is empty' };
  if (!isMap(channelsNode) && !isAlias(channelsNode) && parsed.model.channels.size === 0) {
    return { declared: false, problem: 'channels-not-a-map', why: '`channels` is not a map of channel roles' };
  }
  return { declared: false, problem: 'missing', why: `\`channels\` has no \`${name}\` key` };
}

export function securityChannel(parsed: ParsedPlaybook): SecurityChannel {
  return declaredChannel(parsed, SECURITY_CHANNEL);
}

/** `action: notify` naming the `security` channel, declared or not. */
export function namesSecurityChannel(step: StepModel): boolean {
  return step.action === 'notify' && stepField(step, 'channel')?.value === SECURITY_CHANNEL;
}

/**
 * The one definition of "this step tells security", for PB102, the code lens, hover, the dry-run
 * and its SOC 2 mapping: a `notify` to the `security` channel, which the playbook declares.
 */
export function tellsSecurity(step: StepModel, channel: SecurityChannel): boolean {
  return channel.declared && namesSecurityChannel(step);
}

export function isRisky(step: StepModel, policy: Policy): boolean {
  return step.action !== undefined && policy.riskyActions.has(step.action);
}

/** The access an `access-grant` or `access-revoke` step is about, when both fields are written. */
export function accessOf(step: StepModel): { principal: string; role: string } | undefined {
  const principal = stepField(step, 'principal')?.value;
  const role = stepField(step, 'role')?.value;
  return principal === undefined || role === undefined ? undefined : { principal, role };
}

/** Where a step goes when it succeeds (the next list item, or `next`). */
export function successTarget(graph: FlowGraph, index: number): number {
  return successEdge(graph, index)?.to ?? graph.exit;
}

/** The edge a step leaves by when it succeeds. */
export function successEdge(graph: FlowGraph, index: number): FlowEdge | undefined {
  return graph.out[index]?.find((e) => e.kind !== 'failure');
}

/**
 * Steps whose `requires` include a security checkpoint, directly or through a chain of `requires`.
 * One backward search from all security checkpoints over the `requires` edges: linear, and
 * `requires` cycles (PB007) only stop it from revisiting a step.
 */
export function requiresSecurityCheckpoint(graph: FlowGraph, model: PlaybookModel, policy: Policy): boolean[] {
  const requiredBy: number[][] = Array.from({ length: graph.exit }, () => []);
  graph.requires.forEach((targets, step) => targets.forEach((r) => requiredBy[r.target]?.push(step)));
  const covered = new Array<boolean>(graph.exit).fill(false);
  const queue = model.steps.filter((s) => isSecurityCheckpoint(s, policy)).map((s) => s.index);
  const expanded = new Array<boolean>(graph.exit).fill(false);
  while (queue.length) {
    const node = queue.pop()!;
    if (expanded[node]) continue;
    expanded[node] = true;
    for (const step of requiredBy[node] ?? []) {
      covered[step] = true;
      queue.push(step);
    }
  }
  return covered;
}

/** A short description of what a step changes, for messages: "rolling `checkout` back to `2.3.1`". */
export function describeChange(step: StepModel): string {
  const field = (key: string): string | undefined => {
    const value = stepField(step, key)?.value;
    return value === undefined ? undefined : `\`${value}\``;
  };
  const [service, to, version] = [field('service'), field('to'), field('version')];
  const access = accessOf(step);
  switch (step.action) {
    case 'rollback':
      return service && to ? `rolling ${service} back to ${to}` : 'the rollback';
    case 'deploy':
      return service && version ? `deploying ${service} ${version}` : 'the deploy';
    case 'access-grant':
      return access ? `granting \`${access.role}\` to \`${access.principal}\`` : 'the access grant';
    default:
      return `the \`${step.action ?? 'unknown'}\` step`;
  }
}
