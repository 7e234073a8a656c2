/**
 * Hover: the documentation of the key or value under the cursor. A key shows its field's schema
 * docs; a value shows what it stands for in this playbook and under this policy: an action's
 * risk, a checkpoint kind's weight, a version's advisories, a step's effect and guard, a service's
 * or channel's declaration.
 */
import { ON_FAILURE_KEYWORDS } from '../parse/buildModel.js';
import { nodeRange, scalarText } from '../parse/yamlNodes.js';
import { VERSION_FIELD } from '../rules/versionTargets.js';
import { redactorFor } from '../security/redact.js';
import { ITEM } from './completion/cursorContext.js';
import { channelMarkdown, serviceMarkdown } from './hover/declarations.js';
import { fieldMarkdown } from './hover/fieldHover.js';
import { nodeAt, type NodeHit } from './hover/nodeAt.js';
import { shownText } from './hover/shownText.js';
import { stepMarkdown } from './hover/stepHover.js';
import { actionMarkdown, checkpointKindMarkdown, enumValueMarkdown, onFailureKeywordMarkdown } from './hover/valueHover.js';
import { versionMarkdown } from './hover/versionHover.js';
import { fieldAt, isReleaseItem } from './schemaInfo.js';
import type { Analysis, HoverResult } from './types.js';

const STEP_REFERENCES = new Set(['requires', 'next', 'on-failure']);

export function hover(analysis: Analysis, offset: number): HoverResult | undefined {
  const doc = analysis.parsed.yaml;
  if (!doc) return undefined;
  // A cursor right after a word (keyboard hover) still names that word.
  const hit = nodeAt(doc, offset) ?? (offset > 0 ? nodeAt(doc, offset - 1) : undefined);
  if (!hit) return undefined;
  const markdown = hit.role === 'key' ? keyMarkdown(hit, analysis) : valueMarkdown(hit, analysis);
  // Hover echoes playbook text (commands, targets, versions): it passes the secret redaction.
  return markdown ? { markdown: redactorFor(analysis.parsed)(markdown), range: nodeRange(hit.node) } : undefined;
}

function isStepContainer(container: readonly string[]): boolean {
  return container.length === 2 && container[0] === 'steps' && container[1] === ITEM;
}

function keyMarkdown(hit: NodeHit, analysis: Analysis): string | undefined {
  const { container, key } = hit;
  const model = analysis.parsed.model;
  if (container.length === 1 && container[0] === 'services') return serviceMarkdown(analysis.parsed, key);
  if (container.length === 1 && container[0] === 'channels') return channelMarkdown(analysis.parsed, key, analysis.policy);
  const action = isStepContainer(container) && hit.stepIndex !== undefined ? model.steps[hit.stepIndex]?.action : undefined;
  const field = fieldAt(container, key, action);
  return field ? fieldMarkdown(field, action) : undefined;
}

function valueMarkdown(hit: NodeHit, analysis: Analysis): string | undefined {
  const value = scalarText(hit.node);
  if (value === undefined) return undefined;
  const { container, key } = hit;
  const model = analysis.parsed.model;
  const isVersion = container.length === 2 && container[0] === 'services' && (key === 'current' || (key === 'releases' && hit.listItem));
  if (isVersion || (isReleaseItem(container) && key === 'version')) {
    const service = model.services.get(container[1]!);
    return service ? versionMarkdown(service, value, analysis) : undefined;
  }
  if (isStepContainer(container) && hit.stepIndex !== undefined) return stepValueMarkdown(hit, value, analysis);
  if (hit.listItem) return undefined;
  return enumValueMarkdown(value, fieldAt(container, key), shownText(analysis.parsed));
}

function stepValueMarkdown(hit: NodeHit, value: string, analysis: Analysis): string | undefined {
  const model = analysis.parsed.model;
  const step = model.steps[hit.stepIndex!];
  if (!step) return undefined;
  const key = hit.key;
  if (key === 'id') return stepMarkdown(step, analysis);
  if (STEP_REFERENCES.has(key)) {
    if (key === 'on-failure' && ON_FAILURE_KEYWORDS.has(value)) return onFailureKeywordMarkdown(value);
    const target = analysis.graph().indexById.get(value);
    return target === undefined ? `No step has the id ${shownText(analysis.parsed).code(value)} (PB004).` : stepMarkdown(model.steps[target]!, analysis);
  }
  if (hit.listItem) return undefined;
  if (key === 'action') return actionMarkdown(value, analysis);
  if (key === 'kind' && step.action === 'checkpoint') return checkpointKindMarkdown(value, analysis);
  if (key === 'service') return serviceMarkdown(analysis.parsed, value);
  if (key === 'channel') return channelMarkdown(analysis.parsed, value, analysis.policy);
  if (step.action !== undefined && VERSION_FIELD[step.action] === key) {
    const serviceName = scalarText(step.pairs.get('service')?.value);
    const service = serviceName === undefined ? undefined : model.services.get(serviceName);
    return service ? versionMarkdown(service, value, analysis, step.index) : undefined;
  }
  return enumValueMarkdown(value, fieldAt(hit.container, key, step.action), shownText(analysis.parsed));
}
