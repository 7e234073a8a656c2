/** "Playbook: Check Workspace": every playbook under the workspace folders, open or not, with progress. */
import type { Connection } from 'vscode-languageserver';
import type { TextDocuments } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { URI } from 'vscode-uri';
import { effectiveLimits } from '../core/limits.js';
import { decodeBytes } from '../core/parse/decode.js';
import type { Finding } from '../core/types.js';
import { findPlaybooks } from '../node/findPlaybooks.js';
import { readFileSafely } from '../node/readFile.js';
import type { CheckWorkspaceResult } from '../shared/protocol.js';
import type { Analyses } from './analyses.js';
import type { DiagnosticsService } from './diagnosticsService.js';
import type { Workspace } from './workspace.js';

export async function checkWorkspace(connection: Connection, documents: TextDocuments<TextDocument>, workspace: Workspace, analyses: Analyses, diagnostics: DiagnosticsService): Promise<CheckWorkspaceResult> {
  const files = (await Promise.all(workspace.allRoots().map((root) => findPlaybooks([root], root)))).flatMap((e) => e.files);
  const progress = await connection.window.createWorkDoneProgress();
  progress.begin('Checking playbooks', 0, `${files.length} files`, true);
  const result: CheckWorkspaceResult = { files: 0, errors: 0, warnings: 0, infos: 0 };
  try {
    for (const [i, file] of files.entries()) {
      if (progress.token.isCancellationRequested) break;
      progress.report(Math.round((i / Math.max(1, files.length)) * 100), file);
      const uri = URI.file(file).toString();
      const open = documents.get(uri);
      const findings = open ? (await analyses.get(open)).findings : await checkClosedFile(file, uri, analyses, diagnostics);
      result.files++;
      for (const f of findings) {
        if (f.severity === 'error') result.errors++;
        else if (f.severity === 'warning') result.warnings++;
        else result.infos++;
      }
    }
  } finally {
    progress.done();
  }
  await diagnostics.sendStatus();
  return result;
}

async function checkClosedFile(file: string, uri: string, analyses: Analyses, diagnostics: DiagnosticsService): Promise<Finding[]> {
  const { loaded } = await analyses.environmentFor(file);
  const read = await readFileSafely(file, effectiveLimits(loaded.policy.limits).maxDocumentLength);
  if ('error' in read) return [];
  const decoded = decodeBytes(read.bytes);
  const text = 'text' in decoded ? decoded.text : '';
  const findings = 'text' in decoded ? (await analyses.analyze(text, file)).findings : [decoded.finding];
  diagnostics.publishFor(uri, text, findings);
  return findings;
}
