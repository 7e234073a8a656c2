/**
 * Versions of a service (its `releases` and `current`), each labelled with what stands against it
 * (its own package and, with SBOMs, its components, after security's VEX decisions): clear ones
 * first, newest first, and the affected ones struck through at the end.
 */
import { sortVersions } from '../../advisories/index.js';
import type { ServiceModel } from '../../parse/model.js';
import type { Analysis, CompletionEntry } from '../types.js';
import type { CursorContext } from './cursorContext.js';
import { orderingOf, standingMarkdown, statusLabel, versionStatus, type VersionStatus } from './versionStatus.js';
import { knownVersions } from '../../releases/releaseStatus.js';
import { item } from './entry.js';
import { code, phrase, toolInline } from '../../util/markdownText.js';

export function versionItems(ctx: CursorContext, service: ServiceModel, analysis: Analysis): CompletionEntry[] {
  const unique = knownVersions(service);
  const sorted = sortVersions(orderingOf(service), unique);
  // Versions the ordering cannot read keep their written order, after the ones it can.
  const newestFirst = [...sorted.reverse(), ...unique.filter((v) => !sorted.includes(v))];
  const rated = newestFirst.map((version) => ({ version, status: versionStatus(service, version, analysis.advisories, analysis.releases) }));
  const ordered = [...rated.filter((r) => r.status.kind !== 'affected'), ...rated.filter((r) => r.status.kind === 'affected')];
  return ordered.map(({ version, status }, i) => {
    const current = version === service.current ? ' (current)' : '';
    return {
      ...item(ctx, version, 'version', i),
      detail: `${statusLabel(status)}${current}`,
      documentation: documentation(service, version, status),
      ...(status.kind === 'affected' ? { deprecated: true } : {}),
    };
  });
}

function documentation(service: ServiceModel, version: string, status: VersionStatus): string {
  const head = `${code(service.name)} ${phrase(version)}${version === service.current ? ', the release running now' : ''}`;
  if (status.kind === 'safe') return `${head}: no known advisory affects it.`;
  if (status.kind === 'unchecked') return `${head}: not checked for advisories (${toolInline(status.why)}).`;
  return `${head} is affected by:\n\n${standingMarkdown(status.standing)}`;
}
