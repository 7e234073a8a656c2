/**
 * PB101's fix changes a step's target version; the playbook's notify messages that name the old
 * version of that service ("checkout rolled back to 2.14.1") would then tell security the wrong
 * release. These edits change the version in those messages too: a message names the version when
 * it holds it as a whole token (not inside `2.14.10` or `2.14.1-rc1`), and it is about the service
 * when it names it, or names none of the playbook's other services.
 */
import { isScalar, type Scalar } from 'yaml';
import type { ServiceModel, StepModel } from '../../parse/model.js';
import type { TextEdit } from '../types.js';

export interface MessageEdits {
  edits: TextEdit[];
  /** The ids of the notify steps whose message changes. */
  steps: string[];
}

const escaped = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export function versionMentionEdits(text: string, steps: readonly StepModel[], services: ReadonlyMap<string, ServiceModel>, service: string, from: string, to: string): MessageEdits {
  const token = new RegExp(`(?<![\\w.-])${escaped(from)}(?![\\w-]|\\.\\d)`, 'g');
  const others = [...services.keys()].filter((name) => name !== service);
  const out: MessageEdits = { edits: [], steps: [] };
  for (const step of steps) {
    if (step.action !== 'notify') continue;
    const message = step.pairs.get('message')?.value;
    if (!isScalar(message) || typeof message.value !== 'string' || !message.range) continue;
    const words = message.value;
    if (!token.test(words)) continue;
    token.lastIndex = 0;
    if (!words.includes(service) && others.some((name) => words.includes(name))) continue;
    const edits = tokenEdits(text, message, token, to);
    if (edits.length === 0) continue;
    out.edits.push(...edits);
    out.steps.push(step.id ?? step.label);
  }
  return out;
}

/** The token's places in the scalar as written (its quotes or block header included), each replaced: a version needs no escaping in any style. */
function tokenEdits(text: string, scalar: Scalar, token: RegExp, to: string): TextEdit[] {
  const [start, end] = scalar.range!;
  const source = text.slice(start, end);
  const edits: TextEdit[] = [];
  for (const match of source.matchAll(token)) edits.push({ range: { start: start + match.index, end: start + match.index + match[0].length }, newText: to });
  return edits;
}
