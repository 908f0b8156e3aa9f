/**
 * Seeded `.npy` files for the fuzz suite: headers built from Python-literal variants (quotes, escapes,
 * prefixes, number forms, duplicate and decoy keys, comments, whitespace, versions), wrong header
 * lengths, short and long data, and byte mutations of the result. numpy's verdict on each case is in
 * test/fixtures/npyNumpyOracle.txt.gz (made by test/data/npyOracle.py); change nothing here without
 * regenerating it.
 */
import { createRng, type Rng } from '../../src/core/rng.js';

const pick = <T>(r: Rng, xs: readonly T[]): T => xs[r.int(xs.length)]!;

const DESCRS = [
  '<f4',
  '>f4',
  '|f4',
  '=f4',
  'f4',
  '<f8',
  '>f8',
  '|u1',
  '<u1',
  '>u1',
  '|i1',
  '<i2',
  '>i2',
  '|i2',
  '<i4',
  '>i4',
  'i4',
  '<i8',
  '<c8',
  '<f2',
  '<u2',
  'float32',
  '<U3',
  '|b1',
  'O',
  '<f\\d',
  '',
  'xyz',
  '<f4 ',
];
const SIZES: Record<string, number> = { f4: 4, f8: 8, u1: 1, i1: 1, i2: 2, i4: 4 };
const WS = ['', ' ', '  ', '\n', '\t', ' # c\n', '\f', '\r\n'];

/** A Python spelling of the string `s`. */
const pyString = (r: Rng, s: string): string => {
  if (r.int(3) !== 0) return `'${s}'`;
  const q = pick(r, ["'", '"', "'''"]);
  const k = r.int(10);
  const body = [...s]
    .map((c) => {
      if (k === 0 && r.int(3) === 0) return `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`;
      if (k === 1 && r.int(3) === 0) return `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
      if (k === 2 && r.int(3) === 0) return `\\${c.charCodeAt(0).toString(8)}`;
      return c === q[0] || c === '\\' ? `\\${c}` : c;
    })
    .join('');
  const prefix = pick(r, ['', '', '', '', 'u', 'r', 'b', 'U', 'f', 'R']);
  if (k === 3 && body.length > 1) {
    const cut = 1 + r.int(body.length - 1);
    return `${q}${body.slice(0, cut)}${q}${pick(r, WS.slice(0, 3))}${q}${body.slice(cut)}${q}`;
  }
  return `${prefix}${q}${body}${q}`;
};

const pyInt = (r: Rng, n: number): string => {
  switch (r.int(14)) {
    case 0:
      return `0x${n.toString(16)}`;
    case 1:
      return `0o${n.toString(8)}`;
    case 2:
      return `0b${n.toString(2)}`;
    case 3:
      return `+${n}`;
    case 4:
      return `-${n}`;
    case 5:
      return `0${n}`;
    case 6:
      return `${n}.0`;
    case 7:
      return `${n}L`;
    case 8:
      return n === 1 ? 'True' : `${n}_0`;
    case 9:
      return `${n} `;
    default:
      return String(n);
  }
};

const decoyValue = (r: Rng): string =>
  pick(r, [
    '"\'shape\': (99,)"',
    '1.5',
    '{1, 2}',
    '1+2j',
    '[3]',
    'None',
    "('<f4',)",
    '{[1]: 2}',
    "b'x'",
    '-(1)',
    '...',
    '1e400',
    "'\\N{DASH}'",
    "'é'",
    "'✓'",
  ]);

/** The header text and the number of values it means (−1 when it names no supported layout). */
const header = (r: Rng): { text: string; values: number; size: number } => {
  const descr = r.int(4) === 0 ? pick(r, DESCRS) : pick(r, ['<f4', '<f8', '|u1', '<i4', '>i2', '|i1']);
  const dims = Array.from({ length: r.int(4) }, () => r.int(5));
  let shapeText: string;
  const parts = dims.map((d) => (r.int(6) === 0 ? pyInt(r, d) : String(d)));
  switch (r.int(12)) {
    case 0:
      shapeText = `[${parts.join(', ')}]`;
      break;
    case 1:
      shapeText = parts.length === 1 ? `(${parts[0]})` : `((${parts.join(', ')}))`;
      break;
    case 2:
      shapeText = `(${parts.join(', ')},)`;
      break;
    default:
      shapeText = parts.length === 1 ? `(${parts[0]},)` : `(${parts.join(', ')})`;
  }
  if (parts.length === 0 && r.int(2) === 0) shapeText = '()';
  const fortran = r.int(12) === 0 ? pick(r, ['True', '0', '1', "'False'", 'None', 'false']) : 'False';
  const entries: [string, string][] = [
    [pyString(r, 'descr'), r.int(12) === 0 ? `[('a', ${pyString(r, descr)})]` : pyString(r, descr)],
    [pyString(r, 'fortran_order'), fortran],
    [pyString(r, 'shape'), shapeText],
  ];
  if (r.int(6) === 0) r.shuffle(entries);
  // decoys before the real key (last wins), extra keys, missing keys
  const extra = r.int(24);
  if (extra === 0) entries.unshift([pyString(r, 'shape'), decoyValue(r)]);
  if (extra === 1) entries.unshift([pyString(r, 'fortran_order'), 'True']);
  if (extra === 2) entries.unshift([pyString(r, 'descr'), decoyValue(r)]);
  if (extra === 3) entries.push([pyString(r, pick(r, ['x', 'shapes', 'descr '])), decoyValue(r)]);
  if (extra === 4) entries.splice(r.int(entries.length), 1);
  if (extra === 5) entries.push([pick(r, ['1', 'True', '(1,)']), '2']);
  if (extra === 6) entries.push([pyString(r, 'shape'), '(99,)'], [pyString(r, 'shape'), shapeText]);
  const sep = () => (r.int(5) === 0 ? pick(r, WS) : ' ');
  const body = entries.map(([k, v]) => `${k}${sep()}:${sep()}${v}`).join(`,${sep()}`);
  let text = `{${sep()}${body}${r.int(2) ? ', ' : ''}}`;
  if (r.int(10) === 0) text = pick(r, ['', ' ', '\t', '\n', '#c\n', ' \f']) + text;
  const tail = r.int(24);
  text +=
    tail === 0 ? '' : tail === 1 ? '\n  ' : tail === 2 ? ' # end\n' : tail === 3 ? '\r\n' : tail === 4 ? '\n\0' : '';
  const m = /^[<>|=]?([fiu][1248])$/.exec(descr);
  const size = m ? (SIZES[m[1]!] ?? 0) : 0;
  return { text, values: dims.reduce((a, b) => a * b, 1), size };
};

/** The bytes of `.npy` case `i` of the suite seeded with `seed`. */
export const npyFuzzCase = (seed: number, i: number): Uint8Array => {
  const r = createRng(seed).fork(i);
  const version = pick(r, [1, 1, 1, 1, 2, 3, 3]);
  const h = header(r);
  const start = version === 1 ? 10 : 12;
  let text = h.text;
  // pad with spaces and end with the newline, as numpy writes it (most of the time)
  if (r.int(6) !== 0 && !text.endsWith('\n'))
    text = `${text.padEnd(Math.ceil((start + text.length + 1) / 64) * 64 - start - 1, ' ')}\n`;
  const hb =
    version === 3 ? new TextEncoder().encode(text) : Uint8Array.from([...text].map((c) => c.charCodeAt(0) & 0xff));
  const need = Math.max(0, h.values) * Math.max(1, h.size);
  const dataLen = pick(r, [need, need, need, need, Math.max(0, need - 1 - r.int(4)), need + 1 + r.int(8)]);
  const out = new Uint8Array(start + hb.length + dataLen);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, version, r.int(20) === 0 ? 1 : 0]);
  const lenShift = r.int(10) === 0 ? pick(r, [-1, -2, -5, -10, 1, 3, 64]) : 0;
  const hlen = Math.max(0, hb.length + lenShift);
  const dv = new DataView(out.buffer);
  if (version === 1) dv.setUint16(8, hlen, true);
  else dv.setUint32(8, hlen, true);
  out.set(hb, start);
  for (let j = start + hb.length; j < out.length; j++) out[j] = r.int(256);
  // byte mutations anywhere in the first part of the file
  if (r.int(8) === 0) {
    const n = 1 + r.int(3);
    for (let k = 0; k < n; k++) out[r.int(Math.min(out.length, start + hb.length + 4))] = r.int(256);
  }
  if (r.int(40) === 0) return out.subarray(0, r.int(out.length));
  return out;
};
