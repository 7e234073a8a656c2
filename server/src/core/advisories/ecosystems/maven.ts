/**
 * Maven's version order, as Maven itself implements it (maven-artifact `ComparableVersion`), since
 * no maintained JavaScript library does. A version is split into items: numbers, qualifiers and
 * sub-lists. `.` separates items of one list; `-` and every digit/letter transition start a nested
 * list. Trailing "null" items (0, the empty qualifier, an empty list) are dropped from each list,
 * so `2.4` == `2.4.0` and `2.13.2` == `2.13.2.0`.
 *
 * Qualifiers: alpha < beta < milestone < rc (= cr) < snapshot < "" (= ga = final = release) < sp,
 * then any other qualifier in alphabetical order, so `29.0-jre` sorts after `29.0`.
 * `a`, `b` and `m` directly followed by a digit mean alpha, beta and milestone. As in Maven 3.9
 * (MNG-7644), a qualifier after a dot starts a list as after a hyphen: `2.0.abc` == `2-abc`.
 *
 * One departure, because Maven's order is not total: it ranks a number above any qualifier or
 * list and a list above any qualifier, whatever follows, while a missing part counts as `0`, so
 * maven-artifact 3.9.6 answers `1.0.alpha.1` < `1` < `1-1` < `1.0.alpha.1`, a cycle no sort or
 * range can follow (MNG-5568 and MNG-6964 fixed others like it). Here, at each position, the two
 * rests are first placed against nothing (`.0.alpha.1` is below it, `-1` above), and only when
 * they stand on the same side do the items decide as in Maven. Only a comparison that closes
 * such a loop changes (the version cut at that position lies between the two), so tens of
 * thousands of random pairs agree with maven-artifact 3.9.6 but for those, and property tests
 * check that the order is total.
 */
import type { Ecosystem, VersionOrdering } from './ordering.js';

type Item = { kind: 'number'; digits: string } | { kind: 'qualifier'; value: string } | { kind: 'list'; items: Item[] };

const KNOWN_QUALIFIERS = ['alpha', 'beta', 'milestone', 'rc', 'snapshot', '', 'sp'];
const RELEASE_RANK = KNOWN_QUALIFIERS.indexOf('');
const QUALIFIER_ALIASES: Readonly<Record<string, string>> = { ga: '', final: '', release: '', cr: 'rc' };
const SHORT_QUALIFIERS: Readonly<Record<string, string>> = { a: 'alpha', b: 'beta', m: 'milestone' };

function numberItem(text: string): Item {
  return { kind: 'number', digits: text.replace(/^0+(?=\d)/, '') };
}

function qualifierItem(text: string, followedByDigit: boolean): Item {
  const expanded = followedByDigit && SHORT_QUALIFIERS[text] ? SHORT_QUALIFIERS[text] : text;
  return { kind: 'qualifier', value: QUALIFIER_ALIASES[expanded] ?? expanded };
}

const isDigit = (c: string): boolean => c >= '0' && c <= '9';

function isNull(item: Item): boolean {
  if (item.kind === 'number') return item.digits === '0';
  if (item.kind === 'qualifier') return item.value === '';
  return item.items.length === 0;
}

/** Drops trailing null items, looking through trailing sub-lists (`1.0-0` → `1`). */
function normalize(list: Item[]): void {
  for (let i = list.length - 1; i >= 0; i--) {
    const item = list[i]!;
    if (isNull(item)) list.splice(i, 1);
    else if (item.kind !== 'list') break;
  }
}

function parseMavenVersion(version: string): Item | undefined {
  const text = version.trim().toLowerCase();
  if (text === '' || /\s/.test(text)) return undefined;
  const root: Item[] = [];
  const opened: Item[][] = [root];
  let list = root;
  let start = 0;
  let digits = false;
  const openList = (): void => {
    const nested: Item[] = [];
    list.push({ kind: 'list', items: nested });
    opened.push(nested);
    list = nested;
  };
  const token = (end: number): string => text.slice(start, end);
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '.' || c === '-') {
      // An empty token counts as 0: `1..2` is `1.0.2`, `1-.1` is `1-0.1`.
      list.push(i === start ? numberItem('0') : digits ? numberItem(token(i)) : qualifierItem(token(i), false));
      start = i + 1;
      if (c === '-') openList();
    } else if (isDigit(c)) {
      if (!digits && i > start) {
        // MNG-7644: a qualifier after a dot starts a list of its own, as after a hyphen (`1.0.0.rc1` < `1.0.0-rc2`).
        if (list.length > 0) openList();
        list.push(qualifierItem(token(i), true));
        start = i;
        openList();
      }
      digits = true;
    } else {
      if (digits && i > start) {
        list.push(numberItem(token(i)));
        start = i;
        openList();
      }
      digits = false;
    }
  }
  if (text.length > start) {
    // MNG-7644 again, for a trailing qualifier: `2.0.abc` == `2-abc`.
    if (!digits && list.length > 0) openList();
    list.push(digits ? numberItem(token(text.length)) : qualifierItem(token(text.length), false));
  }
  // Innermost lists first, so an emptied sub-list is itself removed from its parent.
  for (let i = opened.length - 1; i >= 0; i--) normalize(opened[i]!);
  return { kind: 'list', items: root };
}

function compareDigits(a: string, b: string): number {
  if (a.length !== b.length) return a.length < b.length ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

function qualifierRank(value: string): number {
  const known = KNOWN_QUALIFIERS.indexOf(value);
  return known === -1 ? KNOWN_QUALIFIERS.length : known;
}

function compareQualifiers(a: string, b: string): number {
  const ra = qualifierRank(a);
  const rb = qualifierRank(b);
  if (ra !== rb) return ra < rb ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Where an item stands against a missing one (the shorter version's padding): 1 above, -1 below, 0 level. */
function sideOfItem(item: Item): number {
  if (item.kind === 'number') return item.digits === '0' ? 0 : 1;
  if (item.kind === 'qualifier') return Math.sign(qualifierRank(item.value) - RELEASE_RANK);
  return sideOfTail(item.items, 0);
}

/** Where `items[from…]` stands against nothing: as its first item that is not level does (Maven's compare with null). */
function sideOfTail(items: readonly Item[], from: number): number {
  for (let i = from; i < items.length; i++) {
    const side = sideOfItem(items[i]!);
    if (side !== 0) return side;
  }
  return 0;
}

// Rank of item kinds when they meet at one position: `1-sp` < `1-1` < `1.1`.
const KIND_RANK = { qualifier: 0, list: 1, number: 2 } as const;

function compareItems(a: Item, b: Item): number {
  if (a.kind !== b.kind) return KIND_RANK[a.kind] < KIND_RANK[b.kind] ? -1 : 1;
  if (a.kind === 'number' && b.kind === 'number') return compareDigits(a.digits, b.digits);
  if (a.kind === 'qualifier' && b.kind === 'qualifier') return compareQualifiers(a.value, b.value);
  return compareLists((a as { items: Item[] }).items, (b as { items: Item[] }).items);
}

/**
 * Position by position, first by where each version's rest stands against nothing, then by the
 * items (kind, then value). Maven compares the items alone, which agrees except where it loops
 * (see the header); two numbers still compare as numbers first, so `1.0.1` < `1.1`.
 */
function compareLists(left: readonly Item[], right: readonly Item[]): number {
  for (let i = 0; i < Math.max(left.length, right.length); i++) {
    const a = left[i];
    const b = right[i];
    if (a?.kind !== 'number' || b?.kind !== 'number') {
      const sides = sideOfTail(left, i) - sideOfTail(right, i);
      if (sides !== 0) return Math.sign(sides);
      if (a === undefined || b === undefined) return 0; // the other's rest is all padding-like
    }
    const result = compareItems(a, b);
    if (result !== 0) return result;
  }
  return 0;
}

const mavenOrdering: VersionOrdering<Item> = {
  name: 'Maven',
  parse: parseMavenVersion,
  compare: compareItems,
};

export const maven: Ecosystem = {
  name: 'Maven',
  ordering: mavenOrdering,
  // `group:artifact`, as OSV writes it; Maven coordinates are case-sensitive.
  normalizeName: (name) => name.trim(),
};
