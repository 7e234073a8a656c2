/** The dry-run's public face: simulate a checked playbook under a scenario, and render the result. */
export { simulate, isCleanRun } from './simulate.js';
export { asOfInstant, checkScenario, normalizeScenario } from './scenario.js';
export { renderMarkdown } from './render/markdown.js';
export { renderText } from './render/text.js';
export type { DryRun, FindingRef, Scenario, SimulateOptions, TraceEntry } from './types.js';
