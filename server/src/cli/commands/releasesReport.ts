/**
 * What `playbook releases` says of one playbook, as plain data in the shape of its JSON output:
 * for each service (in the playbook's order) and each known release (its `releases`, plus
 * `current` when not listed; newest first in the service's ordering, versions the ordering
 * cannot read last, as written), whether anything stands against it. The answer is the one
 * completion and hover give (`versionStatus`, on `releaseStatus`): the service's own package and
 * every component of the release's SBOM, after security's VEX decisions.
 *
 * A release is `clear` only when it was checked: no advisory records loaded, no package and no
 * SBOM, a version the ecosystem cannot read, or an SBOM the playbook names that cannot be used
 * make it `not-checked`, with why. Whatever echoes the playbook passes the check's redaction.
 */
import {
  knownVersions,
  orderingOf,
  parsePurl,
  redactDeep,
  redactorFor,
  releaseStatus,
  sortVersions,
  versionStatus,
  type AdvisorySnapshot,
  type DecidedMatch,
  type ParsedPlaybook,
  type ReleaseData,
  type ServiceModel,
  type StandingMatch,
} from '../../core/index.js';

type ReleaseVerdict = 'clear' | 'affected' | 'not-checked';

export interface ComponentJson {
  name: string;
  version: string | null;
  purl: string | null;
}

export interface AdvisoryJson {
  id: string;
  aliases: string[];
  severity: string | null;
  summary: string | null;
  /** The record's fixed versions for the matched package, oldest first. */
  fixed: string[];
  /** Absent: the advisory is on the service's own package. */
  component?: ComponentJson;
  /** A VEX statement that keeps the advisory (`affected`, `under_investigation`). */
  vex?: { status: string; actionStatement?: string; document: string };
}

export interface DecisionJson {
  id: string;
  aliases: string[];
  severity: string | null;
  component?: ComponentJson;
  status: string;
  justification?: string;
  impactStatement?: string;
  /** The VEX document, relative to the working directory. */
  vex: string;
}

export interface ReleaseJson {
  version: string;
  current: boolean;
  status: ReleaseVerdict;
  /** With `not-checked`: why. */
  why?: string;
  /** The SBOM used: named by the release, by the service's template, or found in the policy's `sboms` folders. */
  sbom?: { path: string; from: 'release' | 'service' | 'found' };
  /** The SBOM the playbook names, when it cannot be used. */
  sbomProblem?: { path: string; problem: string };
  /** Standing advisories, worst first. */
  advisories: AdvisoryJson[];
  /** Advisories security's VEX statements removed (`not_affected`, `fixed`). */
  decided: DecisionJson[];
}

/** The whole output of `playbook releases --format json` (README: "playbook releases"). */
export interface ReleasesJson {
  version: 1;
  playbooks: Array<{ path: string; services: ServiceJson[] }>;
  totals: ReleaseTotals;
}

export interface ReleaseTotals {
  services: number;
  releases: number;
  clear: number;
  affected: number;
  'not-checked': number;
}

export interface ServiceJson {
  name: string;
  package?: string;
  current?: string;
  releases: ReleaseJson[];
}

/** Every service of the playbook with its releases; `show` gives a file as the output names it. */
export function serviceReports(parsed: ParsedPlaybook, advisories: AdvisorySnapshot, data: ReleaseData, show: (file: string) => string): ServiceJson[] {
  const services = [...parsed.model.services.values()].map((service) => serviceReport(service, advisories, data, show));
  // The names, versions and paths come from the playbook's text: a secret in it never shows.
  return redactDeep(services, redactorFor(parsed));
}

function serviceReport(service: ServiceModel, advisories: AdvisorySnapshot, data: ReleaseData, show: (file: string) => string): ServiceJson {
  return {
    name: service.name,
    ...(service.purl !== undefined ? { package: service.purl } : {}),
    ...(service.current !== undefined ? { current: service.current } : {}),
    releases: knownReleases(service).map((version) => releaseReport(service, version, advisories, data, show)),
  };
}

/** The releases and `current`, once each, newest first; versions the ordering cannot read last, as written. */
function knownReleases(service: ServiceModel): string[] {
  const written = knownVersions(service);
  const ordering = orderingOf(service);
  return [...sortVersions(ordering, written).reverse(), ...written.filter((v) => ordering.parse(v) === undefined)];
}

function isCurrent(service: ServiceModel, version: string): boolean {
  if (service.current === undefined) return false;
  if (service.current === version) return true;
  const ordering = orderingOf(service);
  const [a, b] = [ordering.parse(version), ordering.parse(service.current)];
  return a !== undefined && b !== undefined && ordering.compare(a, b) === 0;
}

function releaseReport(service: ServiceModel, version: string, advisories: AdvisorySnapshot, data: ReleaseData, show: (file: string) => string): ReleaseJson {
  const loaded = advisories.index.counts().records > 0;
  const verdict = versionStatus(service, version, loaded ? advisories : undefined, data);
  // Not checked: which SBOM would be used is still worth saying.
  const release = verdict.kind === 'unchecked' ? releaseStatus(service, version, data, advisories.index) : verdict.release;
  const why = !loaded
    ? 'no advisory records are loaded'
    : release.sbomProblem
      ? 'the SBOM the playbook names for it cannot be used, so its components are not checked'
      : verdict.kind === 'unchecked'
        ? verdict.why
        : undefined;
  const status: ReleaseVerdict = release.standing.length ? 'affected' : why !== undefined ? 'not-checked' : 'clear';
  return {
    version,
    current: isCurrent(service, version),
    status,
    ...(status === 'not-checked' ? { why: quotes(why!) } : {}),
    ...(release.sbom ? { sbom: { path: show(release.sbom.file), from: release.sbom.from } } : {}),
    ...(release.sbomProblem ? { sbomProblem: { path: show(release.sbomProblem.file), problem: quotes(release.sbomProblem.problem) } } : {}),
    advisories: release.standing.map((s) => advisoryJson(s, show)),
    decided: release.decided.map((d) => decisionJson(d, show)),
  };
}

function advisoryJson({ match, component, decision }: StandingMatch, show: (file: string) => string): AdvisoryJson {
  const kept = decision?.statement;
  return {
    id: match.id,
    aliases: match.aliases,
    severity: match.severity ?? null,
    summary: match.summary ?? null,
    fixed: match.fixed,
    ...(component ? { component: componentJson(component) } : {}),
    ...(kept && decision ? { vex: { status: kept.status, ...(kept.actionStatement !== undefined ? { actionStatement: kept.actionStatement } : {}), document: show(decision.file) } } : {}),
  };
}

function decisionJson({ match, component, decision }: DecidedMatch, show: (file: string) => string): DecisionJson {
  const { status, justification, impactStatement } = decision.statement;
  return {
    id: match.id,
    aliases: match.aliases,
    severity: match.severity ?? null,
    ...(component ? { component: componentJson(component) } : {}),
    status,
    ...(justification !== undefined ? { justification } : {}),
    ...(impactStatement !== undefined ? { impactStatement } : {}),
    vex: show(decision.file),
  };
}

/** A component as its SBOM lists it; its version from the SBOM, else from its purl. */
function componentJson(component: NonNullable<StandingMatch['component']>): ComponentJson {
  const parsed = component.purl === undefined ? undefined : parsePurl(component.purl);
  const version = component.version ?? (parsed && 'package' in parsed ? parsed.package.version : undefined);
  return { name: component.name, version: version ?? null, purl: component.purl ?? null };
}

/** The core words names in backticks (`api`); this report quotes them ("api"). */
function quotes(text: string): string {
  return text.replace(/`([^`\n]*)`/g, '"$1"');
}

/** How many services and releases the report covers, and how many releases have each status. */
export function releaseTotals(playbooks: ReleasesJson['playbooks']): ReleaseTotals {
  const totals: ReleaseTotals = { services: 0, releases: 0, clear: 0, affected: 0, 'not-checked': 0 };
  for (const service of playbooks.flatMap((p) => p.services)) {
    totals.services += 1;
    for (const release of service.releases) {
      totals.releases += 1;
      totals[release.status] += 1;
    }
  }
  return totals;
}
