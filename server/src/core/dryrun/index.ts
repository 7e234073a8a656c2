/** The dry-run's public face: simulate a checked playbook under a scenario, and render the result. */
export { simulate, isCleanRun } from './simulate.js';
export { ALL_SUCCEED, asOfInstant, checkScenario, normalizeScenario, type ScenarioProblem } from './scenario.js';
export { renderMarkdown, type MarkdownOptions } from './render/markdown.js';
export { renderText } from './render/text.js';
export { ABORT, END } from './types.js';
export type {
  AdvisoryNote, Approver, ChangeMade, DryRun, FindingRef, Gate, Notification, Outcome, Refusal, Scenario,
  SimulateOptions, Soc2Point, StepStatus, Summary, TraceEntry,
} from './types.js';
