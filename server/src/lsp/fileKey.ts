/**
 * One key per file, however its URI is spelt: `file:///a/b`, an encoded form of it, or a path
 * through a symbolic link all name the same file, so it gets one set of diagnostics. Editors do
 * not resolve links, so the server does it here (once per open, close and checked file).
 */
import { realpathSync } from 'node:fs';
import * as path from 'node:path';
import { URI } from 'vscode-uri';

export function fileKeyOfPath(file: string): string {
  const resolved = path.resolve(file);
  try {
    return realpathSync.native(resolved);
  } catch {
    return resolved; // not on disk (yet): its path is all there is
  }
}

export function fileKey(uri: string): string {
  const parsed = URI.parse(uri);
  // Other schemes (untitled:, git:) have no file behind them: the URI, parsed and spelt one way, is the key.
  return parsed.scheme === 'file' ? fileKeyOfPath(parsed.fsPath) : parsed.toString();
}
