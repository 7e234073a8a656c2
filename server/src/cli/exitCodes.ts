/** The CLI's exit codes, a contract with CI pipelines. */
export const EXIT = {
  /** No error-level finding (and warnings within --max-warnings). */
  ok: 0,
  /** At least one error-level finding, or too many warnings. */
  findings: 1,
  /** A usage problem, or an input that could not be read (the other files are still checked). */
  usage: 2,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];
