/** Where two versions of a text differ: one region, from their common prefix and common suffix. */
export interface ChangedRegion {
  /** First differing offset (the same in both texts). */
  start: number;
  /** End of the replaced text in the old version. */
  oldEnd: number;
  /** End of the replacement in the new version. */
  newEnd: number;
}

/** Linear in the shorter common part; the suffix never overlaps the prefix. */
export function changedRegion(oldText: string, newText: string): ChangedRegion {
  const shorter = Math.min(oldText.length, newText.length);
  let start = 0;
  while (start < shorter && oldText.charCodeAt(start) === newText.charCodeAt(start)) start++;
  let oldEnd = oldText.length;
  let newEnd = newText.length;
  while (oldEnd > start && newEnd > start && oldText.charCodeAt(oldEnd - 1) === newText.charCodeAt(newEnd - 1)) {
    oldEnd--;
    newEnd--;
  }
  return { start, oldEnd, newEnd };
}
