/**
 * JSON text → plain values, and where each object starts, for the SBOM and VEX parsers (spec
 * sections 8 and 9). Why not `JSON.parse`: findings point into the SBOM at the component
 * (related locations), so positions must come from the JSON structure, never from searching the
 * text. Why not jsonc-parser's `visit`: it recurses once per nesting level (a 1,000,000-deep `[[[…`
 * overflows the stack) and, with a depth pre-pass to guard it, reads the text twice. So this is one
 * iterative pass over jsonc-parser's scanner with an explicit stack:
 *
 * - strict JSON: a comment, a trailing comma or anything after the value is an error; the first
 *   error stops the read and is returned in plain words with its line and column (1-based) and
 *   jsonc-parser's name for it (`printParseErrorCode`);
 * - nesting deeper than `maxDepth` stops the read at once, so memory and time stay bounded;
 * - `keep` lets the caller leave out objects it will not use (components past a limit): they are
 *   still read, so the text must still be valid, but nothing of them is built;
 * - for speed (an SBOM is read on the first check of a playbook), spaces and line breaks between
 *   tokens are skipped here, not by the scanner, which builds a string of every run of white space
 *   (pretty-printed JSON is a third indentation), and lines are counted here (no token spans a
 *   line: a line break inside a string is an error); a string with no escape and no control
 *   character is cut from the text up to its closing quote. Every other token — escapes, numbers,
 *   keywords, errors — is the scanner's. 1.3 MB of CycloneDX: ~7 ms, against ~2 ms for JSON.parse.
 *
 * jsonc-parser is imported from its ES module build: its default entry is a UMD module whose
 * `require('./impl/…')` calls esbuild cannot follow, so a bundle of it fails at run time
 * (`Cannot find module './impl/format'`).
 */
import { createScanner, printParseErrorCode } from 'jsonc-parser/lib/esm/main.js';
import { oneLine } from '../util/oneLine.js';

/** 0-based line and UTF-16 column. */
export interface TextPosition {
  line: number;
  character: number;
}

export type JsonValue = null | boolean | number | string | JsonValue[] | JsonObject;
export interface JsonObject {
  [key: string]: JsonValue;
}

export interface JsonReadOptions {
  /** Most arrays and objects open at once; the top-level value is level 1. */
  maxDepth: number;
  /**
   * Asked as each object (but the top-level one) opens, with the property names and array indices
   * leading to it (a live array: read it, do not keep it). `false`: the object is read but not
   * built, and its property or array slot is left out.
   */
  keep?: (path: readonly (string | number)[]) => boolean;
  /**
   * Asked each time a property of the top-level object has been read, with that object so far:
   * `true` stops the read there (the rest of the text is neither read nor checked) and the object
   * is returned as it stands, with `partial` set. For reading the head of a large file alone.
   */
  enough?: (top: JsonObject) => boolean;
}

export interface JsonDocument {
  value: JsonValue;
  /** Where each built object starts (its `{`). */
  positions: Map<JsonObject, TextPosition>;
  /** Set when `enough` stopped the read: the value is the top-level object as far as it was read. */
  partial?: true;
}

// jsonc-parser's SyntaxKind, ScanError and ParseErrorCode are `const enum`s, which isolated modules cannot read.
const OPEN_BRACE = 1, CLOSE_BRACE = 2, OPEN_BRACKET = 3, CLOSE_BRACKET = 4, COMMA = 5, COLON = 6;
const NULL = 7, TRUE = 8, FALSE = 9, STRING = 10, NUMBER = 11, LINE_COMMENT = 12, BLOCK_COMMENT = 13, UNKNOWN = 16, EOF = 17;
/** Returned by `next()` once an error is recorded. */
const FAILED = -1;
/** What a string's text must not hold for its value to be that text: an escape, a control character (a line break included). */
const NOT_PLAIN = /[\\\u0000-\u001f]/;

const E_INVALID_SYMBOL = 1, E_PROPERTY_NAME = 3, E_VALUE = 4, E_COLON = 5, E_COMMA = 6, E_CLOSE_BRACE = 7, E_CLOSE_BRACKET = 8, E_END_OF_FILE = 9, E_COMMENT = 10;
/** ScanError → ParseErrorCode. */
const SCAN_ERRORS: Readonly<Record<number, number>> = { 1: 11, 2: 12, 3: 13, 4: 14, 5: 15, 6: 16 };

const PLAIN_WORDS: Readonly<Record<number, string>> = {
  [E_INVALID_SYMBOL]: 'unexpected text',
  2: 'not a number',
  [E_PROPERTY_NAME]: 'a property name in double quotes was expected',
  [E_VALUE]: 'a value was expected',
  [E_COLON]: 'a colon was expected after the property name',
  [E_COMMA]: 'a comma was expected',
  [E_CLOSE_BRACE]: 'the object is not closed with `}`',
  [E_CLOSE_BRACKET]: 'the array is not closed with `]`',
  [E_END_OF_FILE]: 'more text after the end of the JSON value',
  [E_COMMENT]: 'a comment, and JSON has no comments',
  12: 'a string that is not closed on its line',
  13: 'a number that is cut off',
  14: 'an invalid `\\u` escape',
  15: 'an invalid escape character',
  16: 'a control character inside a string',
};

interface Frame {
  /** Undefined while the frame is read but not built. */
  container: JsonObject | JsonValue[] | undefined;
  isArray: boolean;
}

export function readJson(text: string, options: JsonReadOptions): JsonDocument | { problem: string } {
  const scanner = createScanner(text, false);
  const positions = new Map<JsonObject, TextPosition>();
  const frames: Frame[] = [];
  /** The property name or index being read in each frame (`path.length === frames.length`). */
  const path: (string | number)[] = [];
  let pos = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let line = 0, lineStart = 0;
  let tokenLine = 0, tokenCharacter = 0;
  let problem: string | undefined;
  /** The current string token's value when it was cut from the text, not scanned. */
  let plainString: string | undefined;

  const fail = (code: number, detail = ''): number => {
    problem ??= `invalid JSON at line ${tokenLine + 1}, column ${tokenCharacter + 1}: ${PLAIN_WORDS[code] ?? printParseErrorCode(code)}${detail} (${printParseErrorCode(code)})`;
    return FAILED;
  };

  /** The next token, after white space; FAILED on a comment, an unknown word or a scan error. */
  const next = (): number => {
    let c = text.charCodeAt(pos);
    while (c === 32 || c === 10 || c === 13 || c === 9) {
      pos++;
      if (c === 10 || (c === 13 && text.charCodeAt(pos) !== 10)) {
        line++;
        lineStart = pos;
      }
      c = text.charCodeAt(pos);
    }
    tokenLine = line;
    tokenCharacter = pos - lineStart;
    plainString = undefined;
    if (c === 34) {
      // Most strings hold no escape: their value is their text up to the next quote.
      const end = text.indexOf('"', pos + 1);
      const raw = end === -1 ? undefined : text.slice(pos + 1, end);
      if (raw !== undefined && !NOT_PLAIN.test(raw)) {
        plainString = raw;
        pos = end + 1;
        return STRING;
      }
    }
    scanner.setPosition(pos);
    const token = scanner.scan();
    pos = scanner.getPosition();
    const scanError = scanner.getTokenError();
    if (scanError !== 0) return fail(SCAN_ERRORS[scanError] ?? E_INVALID_SYMBOL);
    if (token === LINE_COMMENT || token === BLOCK_COMMENT) return fail(E_COMMENT);
    if (token === UNKNOWN) return fail(E_INVALID_SYMBOL, ` \`${oneLine(scanner.getTokenValue().slice(0, 20))}\``);
    return token;
  };

  /** Reads `"name" :` in an object; the token after the colon, or FAILED. */
  const propertyName = (token: number): number => {
    if (token !== STRING) return token === FAILED ? FAILED : fail(E_PROPERTY_NAME);
    path[path.length - 1] = plainString ?? scanner.getTokenValue();
    const colon = next();
    if (colon !== COLON) return colon === FAILED ? FAILED : fail(E_COLON);
    return next();
  };

  let token = next();
  let root: JsonValue | undefined;
  while (problem === undefined) {
    // A value starts at `token`.
    let value: JsonValue | undefined;
    let built = true;
    if (token === OPEN_BRACE || token === OPEN_BRACKET) {
      if (frames.length >= options.maxDepth) {
        problem = `nests arrays and objects deeper than ${options.maxDepth} levels (at line ${tokenLine + 1}, column ${tokenCharacter + 1}); it was not read`;
        break;
      }
      const parent = frames[frames.length - 1];
      const isArray = token === OPEN_BRACKET;
      let container: JsonObject | JsonValue[] | undefined;
      if (parent === undefined || parent.container !== undefined) {
        if (isArray) container = [];
        else if (parent === undefined || options.keep === undefined || options.keep(path)) {
          container = {};
          positions.set(container, { line: tokenLine, character: tokenCharacter });
        }
      }
      frames.push({ container, isArray });
      path.push(0);
      const first = next();
      if (first === (isArray ? CLOSE_BRACKET : CLOSE_BRACE)) {
        frames.pop();
        path.pop();
        value = container;
        built = container !== undefined;
        token = next();
      } else {
        token = isArray ? first : propertyName(first);
        continue;
      }
    } else if (token === STRING) {
      value = plainString ?? scanner.getTokenValue();
      token = next();
    } else if (token === NUMBER) {
      value = Number(scanner.getTokenValue());
      token = next();
    } else if (token === TRUE || token === FALSE || token === NULL) {
      value = token === TRUE ? true : token === FALSE ? false : null;
      token = next();
    } else {
      if (token !== FAILED) fail(E_VALUE);
      break;
    }
    // A value is complete: store it, then close every container that ends here.
    for (;;) {
      const frame = frames[frames.length - 1];
      if (frame === undefined) {
        root = value;
        if (token !== EOF && token !== FAILED) fail(E_END_OF_FILE);
        break;
      }
      if (built && frame.container !== undefined) store(frame.container, path[path.length - 1]!, value as JsonValue);
      if (frames.length === 1 && !frame.isArray && frame.container !== undefined && options.enough?.(frame.container as JsonObject)) {
        return { value: frame.container, positions, partial: true };
      }
      if (token === COMMA) {
        const after = next();
        if (frame.isArray) {
          path[path.length - 1] = (path[path.length - 1] as number) + 1;
          if (after === CLOSE_BRACKET) fail(E_VALUE, ' after the comma, and JSON allows no trailing comma');
          token = after;
        } else {
          token = after === CLOSE_BRACE ? fail(E_PROPERTY_NAME, ' after the comma, and JSON allows no trailing comma') : propertyName(after);
        }
        break;
      }
      if (token === (frame.isArray ? CLOSE_BRACKET : CLOSE_BRACE)) {
        frames.pop();
        path.pop();
        value = frame.container;
        built = frame.container !== undefined;
        token = next();
        continue;
      }
      if (token === EOF) fail(frame.isArray ? E_CLOSE_BRACKET : E_CLOSE_BRACE);
      else if (token !== FAILED) fail(E_COMMA);
      break;
    }
    if (frames.length === 0) break;
  }
  if (problem !== undefined) return { problem };
  return { value: root as JsonValue, positions };
}

function store(container: JsonObject | JsonValue[], key: string | number, value: JsonValue): void {
  if (Array.isArray(container)) container.push(value);
  // `__proto__` as an own property, as JSON.parse makes it, never the object's prototype.
  else if (key === '__proto__') Object.defineProperty(container, key, { value, writable: true, enumerable: true, configurable: true });
  else container[key] = value;
}

/** The value as an object (not an array, not null), or undefined. */
export function asObject(value: JsonValue | undefined): JsonObject | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? value : undefined;
}

/** A property that is a string, or undefined. */
export function stringField(object: JsonObject | undefined, key: string): string | undefined {
  const value = object === undefined || !Object.hasOwn(object, key) ? undefined : object[key];
  return typeof value === 'string' ? value : undefined;
}

/** A property that is an array, or an empty one. */
export function arrayField(object: JsonObject | undefined, key: string): JsonValue[] {
  const value = object === undefined || !Object.hasOwn(object, key) ? undefined : object[key];
  return Array.isArray(value) ? value : [];
}

/** A property that is an object, or undefined. */
export function objectField(object: JsonObject | undefined, key: string): JsonObject | undefined {
  return object === undefined || !Object.hasOwn(object, key) ? undefined : asObject(object[key]);
}
