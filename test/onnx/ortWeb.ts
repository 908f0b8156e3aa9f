/**
 * onnxruntime-web's wasm backend in Node, one thread, as the peer the ONNX tests compare kapri with.
 * Outputs come back as float32 (int8 codes converted exactly) so that they compare with kapri's
 * executor outputs bit for bit.
 */
import { createRequire } from 'node:module';
import type * as Ort from 'onnxruntime-web';

const require = createRequire(import.meta.url);
const ort = require('onnxruntime-web') as typeof Ort;
ort.env.wasm.numThreads = 1;

/** A loaded ONNX model. */
export interface OrtModel {
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  /** Runs one input tensor of `dims` (a leading batch axis); every output as float32 values. */
  run(input: Float32Array | Int8Array | Uint8Array, dims: readonly number[]): Promise<Record<string, Float32Array>>;
  release(): Promise<void>;
}

/** Loads ONNX bytes into an onnxruntime-web session (wasm, one thread). */
export const loadOrt = async (bytes: Uint8Array): Promise<OrtModel> => {
  const session = await ort.InferenceSession.create(bytes, { executionProviders: ['wasm'] });
  return {
    inputNames: session.inputNames,
    outputNames: session.outputNames,
    async run(input, dims) {
      const type = input instanceof Float32Array ? 'float32' : input instanceof Int8Array ? 'int8' : 'uint8';
      const r = await session.run({ [session.inputNames[0]!]: new ort.Tensor(type, input, [...dims]) });
      const out: Record<string, Float32Array> = {};
      for (const n of session.outputNames) out[n] = Float32Array.from(r[n]!.data as ArrayLike<number>);
      return out;
    },
    release: () => session.release(),
  };
};
