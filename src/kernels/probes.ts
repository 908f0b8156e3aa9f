/**
 * Known-answer probes: tiny hand-assembled WebAssembly modules that run one instruction on constants
 * and return a number we know. A feature counts as present only when its probe compiles AND answers
 * right, because engines can accept an instruction and compute it wrongly (Node 20 ignores the
 * accumulator of `i32x4.relaxed_dot_i8x16_i7x16_add_s` and doubles the dot).
 */

const HEADER = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];

const leb = (n: number): number[] => {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n !== 0) b |= 0x80;
    out.push(b);
  } while (n !== 0);
  return out;
};
const section = (id: number, body: number[]): number[] => [id, ...leb(body.length), ...body];
const vec = (items: number[][]): number[] => [...leb(items.length), ...items.flat()];
const name = (s: string): number[] => [...leb(s.length), ...Array.from(s, (c) => c.charCodeAt(0))];

const I32 = 0x7f;
const SIMD = 0xfd;
const v128Const = (bytes: number[]): number[] => [SIMD, 0x0c, ...bytes];
const simdOp = (op: number): number[] => [SIMD, ...leb(op)];

const i8x16 = (xs: number[]): number[] => xs.map((x) => x & 0xff);
const i16x8 = (xs: number[]): number[] => xs.flatMap((x) => [x & 0xff, (x >> 8) & 0xff]);
const i32x4 = (xs: number[]): number[] =>
  xs.flatMap((x) => [x & 0xff, (x >> 8) & 0xff, (x >> 16) & 0xff, (x >>> 24) & 0xff]);
const f32x4 = (xs: number[]): number[] => Array.from(new Uint8Array(new Float32Array(xs).buffer));

/** A module exporting `f: () -> i32` whose body is `code`, optionally importing a shared memory. */
const probeModule = (code: number[], sharedMemory = false): Uint8Array<ArrayBuffer> => {
  const types = section(1, vec([[0x60, 0x00, 0x01, I32]]));
  const imports = sharedMemory ? section(2, vec([[...name('env'), ...name('memory'), 0x02, 0x03, 0x01, 0x01]])) : [];
  const funcs = section(3, vec([[0x00]]));
  const exportsSec = section(7, vec([[...name('f'), 0x00, 0x00]]));
  const body = [0x00, ...code, 0x0b];
  const codeSec = section(10, vec([[...leb(body.length), ...body]]));
  return new Uint8Array([...HEADER, ...types, ...imports, ...funcs, ...exportsSec, ...codeSec]);
};

const run = (bytes: Uint8Array<ArrayBuffer>, imports: WebAssembly.Imports = {}): number | null => {
  try {
    const inst = new WebAssembly.Instance(new WebAssembly.Module(bytes), imports);
    return (inst.exports['f'] as () => number)();
  } catch {
    return null;
  }
};

const ramp = (n: number, from: number): number[] => Array.from({ length: n }, (_, i) => from + i);

/** Baseline SIMD: `i32x4.dot_i16x8_s` of [1..8]·[3..10], lane 0 = 1·3 + 2·4 = 11. */
export const probeSimd = (): boolean =>
  run(
    probeModule([
      ...v128Const(i16x8(ramp(8, 1))),
      ...v128Const(i16x8(ramp(8, 3))),
      ...simdOp(0xba),
      ...simdOp(0x1b),
      0x00,
    ]),
  ) === 11;

/** `f32x4.relaxed_madd(2, 3, 4)` = 10 (either fused or not, exact here). */
export const probeRelaxedMadd = (): boolean =>
  run(
    probeModule([
      ...v128Const(f32x4([2, 2, 2, 2])),
      ...v128Const(f32x4([3, 3, 3, 3])),
      ...v128Const(f32x4([4, 4, 4, 4])),
      ...simdOp(0x105),
      ...simdOp(0x1f),
      0x00,
      0xa8, // i32.trunc_f32_s
    ]),
  ) === 10;

/** `i16x8.relaxed_dot_i8x16_i7x16_s`: lane 0 = (−3)·7 + 5·2 = −11 (second operand in 0..127). */
export const probeRelaxedDotI8I7 = (): boolean => {
  const a = [-3, 5, ...ramp(14, 1)];
  const b = [7, 2, ...ramp(14, 1)];
  return (
    run(probeModule([...v128Const(i8x16(a)), ...v128Const(i8x16(b)), ...simdOp(0x112), ...simdOp(0x18), 0x00])) === -11
  );
};

/**
 * `i32x4.relaxed_dot_i8x16_i7x16_add_s`: lane 0 = 1·5 + 2·6 + 3·7 + 4·8 + 1000 = 1070.
 * Node 20 answers 140 (accumulator ignored, dot doubled): that fails here, as it must.
 */
export const probeRelaxedDotI8I7Add = (): boolean =>
  run(
    probeModule([
      ...v128Const(i8x16(ramp(16, 1))),
      ...v128Const(i8x16(ramp(16, 5))),
      ...v128Const(i32x4([1000, 0, 0, 0])),
      ...simdOp(0x113),
      ...simdOp(0x1b),
      0x00,
    ]),
  ) === 1070;

/** Wasm threads: `i32.atomic.rmw.add` on an imported shared memory holding 37, adding 5 → 42. */
export const probeWasmAtomics = (): boolean => {
  if (typeof SharedArrayBuffer === 'undefined') return false;
  let memory: WebAssembly.Memory;
  try {
    memory = new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true });
  } catch {
    return false;
  }
  new Int32Array(memory.buffer)[0] = 37;
  const code = [0x41, 0x00, 0x41, 0x05, 0xfe, 0x1e, 0x02, 0x00, 0x1a, 0x41, 0x00, 0xfe, 0x10, 0x02, 0x00];
  return run(probeModule(code, true), { env: { memory } }) === 42;
};
