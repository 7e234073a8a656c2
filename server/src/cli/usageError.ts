/** A mistake in the command line: `run` prints its message on one line, with where to find the usage, and exits 2. */
export class UsageError extends Error {}
