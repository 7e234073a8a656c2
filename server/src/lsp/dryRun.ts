/** The dry-run request: the same core simulation as `playbook dry-run`, on the editor's text. */
import * as path from 'node:path';
import { ErrorCodes, ResponseError, type TextDocuments } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { asOfInstant, checkScenario, normalizeScenario, renderMarkdown, simulate } from '../core/index.js';
import type { DryRunParams, DryRunResult } from '../shared/protocol.js';
import type { Analyses } from './analyses.js';
import type { Workspace } from './workspace.js';

export async function dryRun(params: DryRunParams, documents: TextDocuments<TextDocument>, analyses: Analyses, workspace: Workspace): Promise<DryRunResult | ResponseError> {
  const doc = documents.get(params.uri);
  if (!doc) return new ResponseError(ErrorCodes.InvalidParams, 'open the playbook to rehearse it');
  if (params.advisoriesAsOf !== undefined && asOfInstant(params.advisoriesAsOf) === undefined) {
    return new ResponseError(ErrorCodes.InvalidParams, `"${params.advisoriesAsOf}" is not a date (use YYYY-MM-DD)`);
  }
  const analysis = await analyses.current(doc);
  const scenario = normalizeScenario({ fail: params.fail, deny: params.deny });
  const problems = checkScenario(analysis.parsed, scenario);
  if (problems.length) return new ResponseError(ErrorCodes.InvalidParams, problems.map((p) => p.message).join('; '));
  const run = simulate(analysis, scenario, { advisoriesAsOf: params.advisoriesAsOf });
  const file = workspace.fileOf(doc.uri);
  const shown = path.relative(workspace.rootFor(file), file).split(path.sep).join('/');
  return { run, markdown: renderMarkdown(run, { file: shown }) };
}
