/**
 * The core's façade: everything the adapters (the CLI, the language server, the node layer and the
 * extension) use from the core, in one place. The core is pure (no editor, transport, fs, network or
 * process); an adapter imports it only through this file, which test/unit/layering.test.ts checks.
 */
export { advisoryAges, ageText, type SourceAge } from './advisories/advisoryAge.js';
export { AdvisoryIndex } from './advisories/advisoryIndex.js';
export { parsePurl, sortVersions, unreadableVersion, type AdvisoryExplanation } from './advisories/index.js';
export { assembleTable, type IndexTable } from './advisories/indexTable.js';
export { ecosystemsOfPurls, parseEcosystemList } from './advisories/osvEcosystems.js';
export { parseOsvRecord } from './advisories/osvRecord.js';
export { prepareRecord, type RecordBody, type RecordMeta } from './advisories/preparedRecord.js';
export { advisoryProblemFindings } from './advisories/problemFindings.js';
export { decodeRecordBody, encodeRecordBody } from './advisories/recordBody.js';
export type { AdvisoryProblem, AdvisorySnapshot, SourceStatus } from './advisories/snapshot.js';
export { baselineEntries, entriesByFile, formatBaseline, parseBaseline, type BaselineEntry } from './baseline/baselineFile.js';
export { baselineProblemFindings } from './baseline/problemFinding.js';
export { checkParsed, checkPlaybook, parseForCheck, type SuppressedFinding } from './check.js';
export { asOfInstant, checkScenario, isCleanRun, normalizeScenario, renderMarkdown, renderText, simulate, type DryRun, type FindingRef, type TraceEntry } from './dryrun/index.js';
export { codeActions, fixAll } from './features/codeActions.js';
export { codeLenses } from './features/codeLens.js';
export { completions, type SnippetDefinition } from './features/completion.js';
export { orderingOf, versionStatus } from './features/completion/versionStatus.js';
export { hover } from './features/hover.js';
export { definition, prepareRename, references, rename } from './features/navigation.js';
export { documentSymbols } from './features/symbols.js';
export type { Analysis, CompletionKind, FixAction, SymbolEntry, TextEdit } from './features/types.js';
export { effectiveLimits } from './limits.js';
export { decodeBytes } from './parse/decode.js';
export type { ParsedPlaybook, ServiceModel, StepModel } from './parse/model.js';
export { parsePlaybook, sizeLimitFinding } from './parse/parsePlaybook.js';
export { parsePolicy, parsePolicyBytes, withRuleOverrides, type ParsedPolicy } from './policy/parsePolicy.js';
export { DEFAULT_ADVISORIES_MAX_AGE, DEFAULT_POLICY, type Policy } from './policy/policy.js';
export { releaseProblemFindings, type ReleaseFileProblem } from './releases/problemFindings.js';
export { knownVersions, namedSbomPaths, readingSboms, releaseStatus, targetFoundSboms, targetSbomPaths, type ComponentMatchMemo, type DecidedMatch, type ReleaseData, type SbomEntry, type StandingMatch } from './releases/releaseStatus.js';
export { parseSbom, parseSbomHead, type ParsedSbom } from './releases/sbomParse.js';
export type { VexDocument } from './releases/vexDecisions.js';
export { parseVex } from './releases/vexParse.js';
export { recordVexDecision } from './releases/vexRecord.js';
export { unknownVulnerabilities } from './releases/unknownVulnerabilities.js';
export { PROJECT_URL, ruleDocUrl } from './rules/docs.js';
export { RULES } from './rules/index.js';
export { findingSecuritySeverity, ruleSecuritySeverity } from './rules/securitySeverity.js';
export { versionTargets } from './rules/versionTargets.js';
export { redactDeep, redactor, redactorFor, type Redact } from './security/redact.js';
export type { Finding, OffsetRange, Severity, SeveritySetting } from './types.js';
export { oneLine } from './util/oneLine.js';
export { didYouMean } from './util/suggest.js';
export { flowDiagram, type DiagramEdge, type DiagramNode } from './graph/flowDiagram.js';
export { diagramCaption, dotDiagram, mermaidDiagram } from './graph/flowDiagramText.js';
export { flowView, MAX_DRAWN_STEPS, type FlowFocus, type FlowHighlight, type FlowViewFinding } from './features/flowView.js';
export { defaultPolicyText } from './policy/defaultPolicyText.js';
export { plainText } from './util/plainText.js';
export type { Delivery, RecordedEvent, RunEvent, RunOutcome } from './run/events.js';
export { applyEvent, currentStep, needsReleaseCheck, runPath, runPlaybook, startRun, stepName } from './run/runState.js';
export { answerFor, parseAnswers, type Answer } from './run/answers.js';
export { autoNotifyMessage, notifyMessage, redactEvent, releaseCheck } from './run/runEvents.js';
export { flowRefusal } from './dryrun/refusal.js';
export { lineLocator } from './dryrun/findingRefs.js';
