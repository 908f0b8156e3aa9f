// The exported functions of a WebAssembly binary with their parameter and result counts, read from
// its type, import, function and export sections (no dependency). scripts/build-wasm.mjs writes them
// for the kernel builds into build/kernelSignatures.js, which the loader checks every module against.

const FUNC = 0x00;
const SECTION = { type: 1, import: 2, function: 3, export: 7 };

/**
 * Reads `bytes` (a wasm module) and returns `{ [exportName]: { params, results } }` for every exported
 * function, imported or defined. Throws on a malformed module or a type this reader does not know.
 * @param {Uint8Array} bytes
 * @returns {Record<string, { params: number, results: number }>}
 */
export const wasmFunctionSignatures = (bytes) => {
  if (bytes.length < 8 || bytes[0] !== 0 || bytes[1] !== 0x61 || bytes[2] !== 0x73 || bytes[3] !== 0x6d)
    throw new Error('not a wasm module (bad magic)');
  let at = 8;
  const byte = () => {
    if (at >= bytes.length) throw new Error('wasm module ends inside a section');
    return bytes[at++];
  };
  const u32 = () => {
    let v = 0;
    for (let shift = 0; ; shift += 7) {
      const b = byte();
      v += (b & 0x7f) * 2 ** shift;
      if (b < 0x80) return v;
    }
  };
  // The length is read before the bytes are taken (`at += u32()` would add to the old `at`).
  const name = () => {
    const n = u32();
    at += n;
    return new TextDecoder().decode(bytes.subarray(at - n, at));
  };
  const vec = (read) => Array.from({ length: u32() }, read);
  // Value types: i32, i64, f32, f64, v128, funcref, externref (one byte each; typed references are refused).
  const valtype = () => {
    const t = byte();
    if (t < 0x6f || t > 0x7f) throw new Error(`unsupported value type 0x${t.toString(16)}`);
    return t;
  };
  const limits = () => {
    const flags = byte();
    u32();
    if (flags & 1) u32();
  };
  const types = [];
  const funcs = []; // type index of each function, imported ones first
  const exports = [];
  while (at < bytes.length) {
    const id = byte();
    const size = u32();
    const end = at + size;
    if (id === SECTION.type) {
      vec(() => {
        if (byte() !== 0x60) throw new Error('unsupported type (not a function type)');
        types.push({ params: vec(valtype).length, results: vec(valtype).length });
      });
    } else if (id === SECTION.import) {
      vec(() => {
        name();
        name();
        const kind = byte();
        if (kind === FUNC) {
          funcs.push(u32());
        } else if (kind === 0x01) {
          byte(); // table: reference type, limits
          limits();
        } else if (kind === 0x02) {
          limits(); // memory
        } else if (kind === 0x03) {
          valtype(); // global: type, mutability
          byte();
        } else if (kind === 0x04) {
          byte(); // tag: attribute, type index
          u32();
        } else {
          throw new Error(`unsupported import kind ${kind}`);
        }
      });
    } else if (id === SECTION.function) {
      vec(() => funcs.push(u32()));
    } else if (id === SECTION.export) {
      vec(() => exports.push({ name: name(), kind: byte(), index: u32() }));
    }
    at = end;
  }
  const signatures = {};
  for (const e of exports.filter((x) => x.kind === FUNC)) {
    const type = types[funcs[e.index]];
    if (!type) throw new Error(`export ${e.name} names a function without a type`);
    signatures[e.name] = type;
  }
  return signatures;
};
