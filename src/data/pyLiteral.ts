/**
 * A parser for the Python literals a `.npy` header is made of, evaluated as `ast.literal_eval` does:
 * strings (quotes, triple quotes, prefixes, escapes, implicit concatenation), ints (decimal, hex,
 * octal, binary, underscores, a sign), floats and complex numbers, True/False/None, tuples, lists,
 * sets and dicts (a repeated key keeps its last value). It accepts a subset of Python: whatever it
 * accepts, Python reads to the same value; what it does not know (`\N{…}` escapes, backslash line
 * continuations, nesting deeper than 64) it refuses. Strings and bytes carry their value; numbers
 * other than ints only their kind, since no header field can use them.
 */

/** A Python literal value. Dict keys that are not strings make `nonStrKey` true (numpy refuses those). */
export type PyValue =
  | { readonly t: 'str'; readonly v: string }
  | { readonly t: 'bytes' }
  | { readonly t: 'int'; readonly v: bigint }
  | { readonly t: 'float' | 'complex' | 'none' | 'ellipsis' }
  | { readonly t: 'bool'; readonly v: boolean }
  | { readonly t: 'tuple' | 'list'; readonly v: readonly PyValue[] }
  | { readonly t: 'set' }
  | { readonly t: 'dict'; readonly v: ReadonlyMap<string, PyValue>; readonly nonStrKey: boolean };

/** Thrown for text that is not a literal this parser knows; the caller wraps it in a KapriError. */
export class PyLiteralError extends Error {}

const DP = '[0-9](?:_?[0-9])*';
const POINT = `(?:(?:${DP})?\\.${DP}|${DP}\\.)`;
const FLOAT = `(?:(?:${POINT}|${DP})[eE][+-]?${DP}|${POINT})`;
const NUMBER = new RegExp(
  `((?:${FLOAT}|${DP})[jJ])|(${FLOAT})|(0[xX](?:_?[0-9a-fA-F])+|0[oO](?:_?[0-7])+|0[bB](?:_?[01])+|[1-9](?:_?[0-9])*|0+(?:_?0)*)`,
  'y',
);
const NAME = /[A-Za-z_][A-Za-z0-9_]*/y;
const STRING_PREFIX = /^(?:[rRuU]|[bB]|[bB][rR]|[rR][bB])?$/;
const SIMPLE_ESCAPES: Record<string, string> = {
  '\\': '\\',
  "'": "'",
  '"': '"',
  a: '\x07',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
};
const MAX_DEPTH = 64;

const isHashable = (v: PyValue): boolean =>
  v.t === 'tuple' ? v.v.every(isHashable) : v.t !== 'list' && v.t !== 'dict' && v.t !== 'set';

/**
 * Parses `text` as one Python literal. `legacyLongSuffix` allows the `L` after a number that
 * Python 2 wrote (numpy strips it when reading format versions 1.0 and 2.0).
 */
export const parsePyLiteral = (text: string, legacyLongSuffix = false): PyValue => {
  let i = 0;
  const bad = (what: string): never => {
    throw new PyLiteralError(`${what} at character ${i}`);
  };
  // Whitespace and comments between tokens; Python joins lines inside brackets, and a literal_eval
  // of a dict never needs a newline outside them except after it.
  const skip = () => {
    for (;;) {
      const c = text[i];
      if (c === ' ' || c === '\t' || c === '\f' || c === '\n' || c === '\r') i++;
      else if (c === '#') {
        while (i < text.length && text[i] !== '\n' && text[i] !== '\r') i++;
      } else return;
    }
  };

  const hex = (n: number): number => {
    const s = text.slice(i, i + n);
    if (s.length !== n || !/^[0-9a-fA-F]+$/.test(s)) bad('a truncated \\x, \\u or \\U escape');
    i += n;
    return parseInt(s, 16);
  };

  /** One string token (after its prefix); returns its value, or null for bytes. */
  const stringToken = (prefix: string): string | null => {
    const raw = /[rR]/.test(prefix);
    const bytes = /[bB]/.test(prefix);
    const q = text[i]!;
    const triple = text[i + 1] === q && text[i + 2] === q;
    i += triple ? 3 : 1;
    let out = '';
    for (;;) {
      if (i >= text.length) bad('an unterminated string');
      const c = text[i]!;
      if (triple ? text.startsWith(q.repeat(3), i) : c === q) {
        i += triple ? 3 : 1;
        return bytes ? null : out;
      }
      if (c === '\r' || (c === '\n' && !triple)) bad('a line end inside a string'); // Python rewrites \r\n in triple quotes
      if (bytes && c.charCodeAt(0) > 0x7f) bad('a non-ASCII character in a bytes literal');
      if (c !== '\\') {
        out += c;
        i++;
        continue;
      }
      const e = text[i + 1];
      if (e === undefined) bad('an unterminated string');
      if (e === '\n' || e === '\r') bad('a backslash line continuation inside a string');
      if (raw) {
        // a raw string keeps the backslash, and an escaped quote does not end it
        out += c + e;
        i += 2;
        continue;
      }
      i += 2;
      if (e! in SIMPLE_ESCAPES) out += SIMPLE_ESCAPES[e!];
      else if (/[0-7]/.test(e!)) {
        let s = e!;
        while (s.length < 3 && /[0-7]/.test(text[i] ?? '')) s += text[i++];
        const code = parseInt(s, 8);
        if (bytes && code > 0o377) bad('an octal escape above \\377 in a bytes literal');
        out += String.fromCodePoint(code);
      } else if (e === 'x') out += String.fromCodePoint(hex(2));
      else if (!bytes && e === 'u') out += String.fromCharCode(hex(4));
      else if (!bytes && e === 'U') {
        const code = hex(8);
        if (code > 0x10ffff) bad('a \\U escape beyond U+10FFFF');
        out += String.fromCodePoint(code);
      } else if (!bytes && e === 'N') bad('a \\N{...} escape (not supported)');
      else out += c + e; // Python keeps an unknown escape as written
    }
  };

  /** A number token; `L` after it is dropped for the legacy formats. */
  const numberToken = (): PyValue => {
    NUMBER.lastIndex = i;
    const m = NUMBER.exec(text);
    if (!m) return bad('a malformed number');
    i = NUMBER.lastIndex;
    if (legacyLongSuffix) {
      let j = i;
      while (text[j] === ' ' || text[j] === '\t') j++;
      if (text[j] === 'L' && !/[A-Za-z0-9_]/.test(text[j + 1] ?? '')) i = j + 1;
    }
    if (/[A-Za-z0-9_.]/.test(text[i] ?? '')) bad('a malformed number');
    if (m[1] !== undefined) return { t: 'complex' };
    if (m[2] !== undefined) return { t: 'float' };
    const s = m[3]!.replace(/_/g, '');
    return { t: 'int', v: /^0[0-9]/.test(s) ? 0n : BigInt(s) };
  };

  /** A number with an optional sign, and `a ± bj` (the one binary form literal_eval accepts). */
  const signedNumber = (): PyValue => {
    let neg = false;
    let parens = 0;
    if (text[i] === '+' || text[i] === '-') {
      neg = text[i] === '-';
      i++;
      skip();
      // -(1) is a literal too: parentheses make no node of their own
      while (text[i] === '(') {
        parens++;
        i++;
        skip();
      }
      if (!/[0-9.]/.test(text[i] ?? '')) bad('a sign before something that is not a number');
    }
    const n = numberToken();
    for (; parens > 0; parens--) {
      skip();
      if (text[i] !== ')') bad("a ')' expected");
      i++;
    }
    const save = i;
    skip();
    if ((text[i] === '+' || text[i] === '-') && n.t !== 'complex') {
      i++;
      skip();
      if (/[0-9.]/.test(text[i] ?? '') && numberToken().t === 'complex') return { t: 'complex' };
      bad('an expression (only a ± bj is a literal)');
    }
    i = save;
    return n.t === 'int' && neg ? { t: 'int', v: -n.v } : n;
  };

  const sequence = (close: string, depth: number): { items: PyValue[]; trailingComma: boolean } => {
    const items: PyValue[] = [];
    let trailingComma = false;
    for (;;) {
      skip();
      if (text[i] === close) break;
      items.push(value(depth + 1));
      skip();
      trailingComma = text[i] === ',';
      if (trailingComma) i++;
      else if (text[i] !== close) bad(`a '${close}' or ',' expected`);
    }
    i++;
    return { items, trailingComma };
  };

  const braces = (depth: number): PyValue => {
    i++;
    skip();
    if (text[i] === '}') {
      i++;
      return { t: 'dict', v: new Map(), nonStrKey: false };
    }
    const first = value(depth + 1);
    skip();
    if (text[i] !== ':') {
      // a set: continue as a sequence after its first element
      if (text[i] === ',') i++;
      else if (text[i] !== '}') bad("a '}' or ',' expected");
      let rest: PyValue[] = [];
      if (text[i] === '}') i++;
      else rest = sequence('}', depth).items;
      if (![first, ...rest].every(isHashable)) bad('an unhashable set element');
      return { t: 'set' };
    }
    const map = new Map<string, PyValue>();
    let nonStrKey = false;
    let key = first;
    for (;;) {
      i++; // the ':'
      const v = value(depth + 1);
      if (!isHashable(key)) bad('an unhashable dict key');
      if (key.t === 'str') map.set(key.v, v);
      else nonStrKey = true;
      skip();
      if (text[i] === ',') {
        i++;
        skip();
      } else if (text[i] !== '}') bad("a '}' or ',' expected");
      if (text[i] === '}') {
        i++;
        return { t: 'dict', v: map, nonStrKey };
      }
      key = value(depth + 1);
      skip();
      if (text[i] !== ':') bad("a ':' expected");
    }
  };

  const value = (depth: number): PyValue => {
    if (depth > MAX_DEPTH) bad('nesting deeper than 64');
    // inside brackets Python joins lines; at the top level the caller allows only what Python does
    if (depth > 0) skip();
    const c = text[i];
    if (c === undefined) return bad('a value expected');
    if (c === '{') return braces(depth);
    if (c === '[') {
      i++;
      return { t: 'list', v: sequence(']', depth).items };
    }
    if (c === '(') {
      i++;
      const { items, trailingComma } = sequence(')', depth);
      return items.length === 1 && !trailingComma ? items[0]! : { t: 'tuple', v: items };
    }
    if (text.startsWith('...', i)) {
      i += 3;
      return { t: 'ellipsis' };
    }
    if (/[0-9.+-]/.test(c)) return signedNumber();
    NAME.lastIndex = i;
    const name = NAME.exec(text)?.[0] ?? '';
    if (
      c === "'" ||
      c === '"' ||
      ((text[i + name.length] === "'" || text[i + name.length] === '"') && STRING_PREFIX.test(name))
    ) {
      // adjacent strings concatenate; mixing str and bytes is a syntax error
      let str: string | null | undefined;
      for (;;) {
        NAME.lastIndex = i;
        const prefix = /['"]/.test(text[i] ?? '') ? '' : (NAME.exec(text)?.[0] ?? '');
        const q = text[i + prefix.length];
        if ((q !== "'" && q !== '"') || !STRING_PREFIX.test(prefix)) break;
        i += prefix.length;
        const s = stringToken(prefix);
        if (str !== undefined && (str === null) !== (s === null)) bad('str and bytes concatenated');
        str = str === undefined || str === null || s === null ? s : str + s;
        const save = i;
        skip();
        if (!/['"A-Za-z]/.test(text[i] ?? '')) {
          i = save;
          break;
        }
      }
      return str === null ? { t: 'bytes' } : { t: 'str', v: str! };
    }
    i += name.length;
    if (name === 'True' || name === 'False') return { t: 'bool', v: name === 'True' };
    if (name === 'None') return { t: 'none' };
    return bad(name ? `the name '${name}' (not a literal)` : `the character '${c}'`);
  };

  // Outside brackets a line's leading whitespace is indentation, which Python refuses here:
  // literal_eval strips spaces and tabs before the value, and blank or comment-only lines are fine.
  const blankLines = () => {
    for (;;) {
      let j = i;
      while (text[j] === ' ' || text[j] === '\t' || text[j] === '\f') j++;
      if (text[j] === '#') while (j < text.length && text[j] !== '\n' && text[j] !== '\r') j++;
      if (text[j] !== '\n' && text[j] !== '\r') return;
      i = j + 1;
    }
  };
  while (text[i] === ' ' || text[i] === '\t') i++;
  blankLines();
  while (text[i] === '\f') i++; // a form feed resets the indentation
  if (text[i] === ' ' || text[i] === '\t') bad('indentation before the value');
  const v = value(0);
  while (text[i] === ' ' || text[i] === '\t' || text[i] === '\f') i++;
  if (text[i] === '#') while (i < text.length && text[i] !== '\n' && text[i] !== '\r') i++;
  if (text[i] === '\n' || text[i] === '\r') {
    i++;
    blankLines();
    // a last line of spaces with no line end is indentation; numpy's reader of the legacy versions
    // re-tokenizes the header and drops it
    if (legacyLongSuffix && /^[ \t\f]*$/.test(text.slice(i))) i = text.length;
  }
  if (i < text.length) bad('text after the value');
  return v;
};
