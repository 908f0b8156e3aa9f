/**
 * A MobileNet-style int8 QModel for the end-to-end bench: 96×96×3 input, a 3×3 stride-2 stem, then
 * depthwise 3×3 + 1×1 conv blocks in four stages (each stage after the first opens with a stride-2
 * depthwise), a global average pool and a dense head — the ops of the hands student at
 * MobileNet-v1-0.25 scale (about 14 M multiply-accumulates per image). Weights and biases are
 * seeded; each layer's output scale is then calibrated in order on seeded images (kapri's kernel
 * executor on the model cut after that layer), so that its codes spread over the int8 range instead
 * of collapsing or saturating: the timing and the bit-identity check see realistic codes.
 */
import { createRng } from '../src/core/rng.js';
import { unwrap } from '../src/core/errors.js';
import { convOutSize, sizeOf } from '../src/core/shape.js';
import type { KernelModule } from '../src/kernels/loader.js';
import { createKernelExecutor } from '../src/runtime/kernelExecutor.js';
import { decodeQModel, encodeQModel } from '../src/runtime/qmodelFile.js';
import type { QModel, QModelHeader, QTensor } from '../src/runtime/qmodelTypes.js';

type Section = Int8Array | Int32Array | Float32Array;
type Op = QModelHeader['ops'][number];

/** The input side of the MobileNet-style model. */
export const MOBILENET_INPUT: readonly [number, number, number] = [96, 96, 3];

/** [output channels, depthwise stride] of each depthwise + 1×1 block after the stem. */
const BLOCKS: readonly (readonly [number, 1 | 2])[] = [
  [32, 1],
  [64, 2],
  [64, 1],
  [128, 2],
  [128, 1],
  [256, 2],
  [256, 1],
];
const STEM_CHANNELS = 16;
const CLASSES = 10;
const CALIBRATION_IMAGES = 4;
/** Calibration aims the 99.9th percentile of a layer's codes above its zero point here. */
const TARGET_SPREAD = { relu: 200, none: 100 } as const;

/** A layer whose output scale calibration sets: its op without the output tensor's quantization. */
interface Layer {
  readonly name: string;
  readonly shape: number[];
  readonly zeroPoint: number;
  readonly activation: 'relu' | 'none';
  readonly op: (input: string) => Op;
}

/** The seeded layers (weights, scales, biases) and the sections they point into. */
const layersOf = (seed: number): { layers: Layer[]; sections: Section[] } => {
  const rng = createRng(seed);
  const sections: Section[] = [];
  const section = (s: Section): number => sections.push(s) - 1;
  const weights = (k: number, cout: number) => ({
    weights: section(Int8Array.from({ length: k * cout }, () => rng.int(255) - 127)),
    scales: section(Float32Array.from({ length: cout }, () => 0.004 + rng.uniform() * 0.012)),
    bias: section(Int32Array.from({ length: cout }, () => rng.int(4001) - 2000)),
  });
  const layers: Layer[] = [];
  let [h, w] = [convOutSize(MOBILENET_INPUT[0], 3, 2, 'same'), convOutSize(MOBILENET_INPUT[1], 3, 2, 'same')];
  const stem = weights(27, STEM_CHANNELS);
  const conv = (name: string, shape: number[], kernel: 1 | 3, stride: 1 | 2, fields: typeof stem): Layer => ({
    name,
    shape,
    zeroPoint: -128,
    activation: 'relu',
    op: (input) => ({
      op: 'conv2d',
      inputs: [input],
      output: name,
      kernel: [kernel, kernel],
      stride: [stride, stride],
      padding: kernel === 3 ? 'same' : 'valid',
      bits: 8,
      activation: 'relu',
      ...fields,
    }),
  });
  layers.push(conv('stem', [h, w, STEM_CHANNELS], 3, 2, stem));
  let c = STEM_CHANNELS;
  BLOCKS.forEach(([cout, stride], i) => {
    [h, w] = [convOutSize(h, 3, stride, 'same'), convOutSize(w, 3, stride, 'same')];
    const dw = weights(9, c);
    const name = `block${i}/dw`;
    layers.push({
      name,
      shape: [h, w, c],
      zeroPoint: -128,
      activation: 'relu',
      op: (input) => ({ op: 'depthwise3x3', inputs: [input], output: name, stride, activation: 'relu', ...dw }),
    });
    layers.push(conv(`block${i}/pw`, [h, w, cout], 1, 1, weights(c, cout)));
    c = cout;
  });
  layers.push({
    name: 'pool',
    shape: [c],
    zeroPoint: -128,
    activation: 'relu',
    op: (input) => ({ op: 'globalAvgPool', inputs: [input], output: 'pool' }),
  });
  const head = weights(c, CLASSES);
  layers.push({
    name: 'logits',
    shape: [CLASSES],
    zeroPoint: rng.int(21) - 10,
    activation: 'none',
    op: (input) => ({ op: 'dense', inputs: [input], output: 'logits', bits: 8, activation: 'none', ...head }),
  });
  return { layers, sections };
};

/**
 * The model of the first `scales.length` layers at those output scales: its output the last layer's
 * codes, or, `complete`, the dequantized logits `output`.
 */
const assemble = (
  layers: readonly Layer[],
  sections: readonly Section[],
  scales: readonly number[],
  seed: number,
  complete = false,
) => {
  const tensors: QTensor[] = [{ name: 'input', shape: [...MOBILENET_INPUT], dtype: 'f32' }];
  tensors.push({
    name: 'input_q',
    shape: [...MOBILENET_INPUT],
    dtype: 'i8',
    quant: { scale: Math.fround(1 / 255), zeroPoint: -128 },
  });
  const ops: Op[] = [{ op: 'quantize', inputs: ['input'], output: 'input_q' }];
  let prev = 'input_q';
  scales.forEach((scale, i) => {
    const l = layers[i]!;
    tensors.push({
      name: l.name,
      shape: l.shape,
      dtype: 'i8',
      quant: { scale: Math.fround(scale), zeroPoint: l.zeroPoint },
    });
    ops.push(l.op(prev));
    prev = l.name;
  });
  if (complete) {
    tensors.push({ name: 'output', shape: [CLASSES], dtype: 'f32' });
    ops.push({ op: 'dequantize', inputs: [prev], output: 'output' });
  }
  return unwrap(
    decodeQModel(
      encodeQModel(
        {
          name: 'mobilenet-style-96',
          producer: 'kapri bench',
          tensors,
          inputs: ['input'],
          outputs: [complete ? 'output' : prev],
          ops,
          meta: {
            seed,
            note: 'seeded weights, output scales calibrated on seeded images: a timing and bit-identity model',
          },
        },
        [...sections],
      ),
    ),
  );
};

/**
 * The 99.9th percentile of |code − zero point| of a layer's output codes, and the share of codes at
 * the int8 limits (the lower one is a ReLU's zero, not saturation, when the zero point sits there).
 */
const spreadOf = (codes: Float32Array, zeroPoint: number): { p999: number; saturated: number } => {
  const d = Float32Array.from(codes, (v) => Math.abs(v - zeroPoint)).sort();
  const saturated = codes.filter((v) => v === 127 || (v === -128 && zeroPoint !== -128)).length / codes.length;
  return { p999: d[Math.min(d.length - 1, Math.floor(0.999 * d.length))]!, saturated };
};

const built = new WeakMap<KernelModule, Map<number, QModel>>();

/** The MobileNet-style model of seed `seed` (see the file comment), calibrated on kernel module `k`. */
export const mobilenetQModel = (k: KernelModule, seed = 1): QModel => {
  const cache = built.get(k) ?? new Map<number, QModel>();
  built.set(k, cache);
  const hit = cache.get(seed);
  if (hit) return hit;
  const { layers, sections } = layersOf(seed);
  const rng = createRng(seed + 1000);
  const images = Float32Array.from({ length: sizeOf(MOBILENET_INPUT) * CALIBRATION_IMAGES }, () => rng.uniform());
  const scales: number[] = [];
  for (const l of layers) {
    let scale = 4 * (scales.at(-1) ?? 1 / 255);
    // widen while the codes saturate, narrow while they are too coarse to read, then aim the
    // percentile at the target
    for (let tries = 0; tries < 30; tries++) {
      const m = assemble(layers, sections, [...scales, scale], seed);
      const exe = createKernelExecutor(m, k);
      const codes = exe.run(images, CALIBRATION_IMAGES)[l.name]!;
      exe.dispose();
      const s = spreadOf(codes, l.zeroPoint);
      if (s.saturated > 0.001) {
        scale *= 4;
        continue;
      }
      const target = TARGET_SPREAD[l.activation];
      if (s.p999 < 20) {
        scale = s.p999 > 0 ? (scale * s.p999) / target : scale / 64;
        continue;
      }
      scale = (scale * s.p999) / target;
      break;
    }
    scales.push(scale);
  }
  const model = assemble(layers, sections, scales, seed, true);
  cache.set(seed, model);
  return model;
};
