/**
 * A bounded wait: what the server asks of its client or reads in the background must not hold up
 * an answer for ever (settings the client is slow to give, a secret it does not answer for, SBOMs
 * still being read for a hover).
 */

/** `work`'s value, or undefined once `ms` have passed first; the timer is cleared either way and `work` goes on. A rejection within the time is passed on. */
export async function waitAtMost<T>(work: Promise<T>, ms: number): Promise<{ value: T } | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), ms);
  });
  try {
    return await Promise.race([work.then((value) => ({ value })), late]);
  } finally {
    clearTimeout(timer);
  }
}
