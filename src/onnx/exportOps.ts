/**
 * How each QModel op becomes ONNX nodes (opset 13), one entry per op, each computing the same bits
 * as kapri's kernels under onnxruntime's arithmetic (float32 multiplier, round half to even):
 * - conv2d, depthwise3x3 and depthwise (group = C, dilations) and dense (a 1×1 conv between Reshapes) are QLinearConv with
 *   per-channel weight scales, zero weight zero points and the int32 bias; int4 weights are widened.
 * - A fused ReLU / ReLU6 is a Clip on the int8 codes (QLinearConv itself clamps to [−128, 127]).
 * - maxPool is MaxPool on int8 (padding never wins a max, as in kapri).
 * - avgPool and globalAvgPool are a depthwise QLinearConv of ones whose declared output scale is
 *   f32(count·s_y), so that its multiplier is kapri's f32(s_x / f32(count·s_y)); possible only when
 *   every window counts the same positions (no padding).
 * - add is f32((a − z_a)·m_a) + f32((b − z_b)·m_b) in float ops (Cast, Sub, Mul, Add), then
 *   QuantizeLinear with scale 1 and the output zero point: kapri's formula step for step.
 * - quantize / dequantize are QuantizeLinear / DequantizeLinear.
 * Image tensors ([H, W, C] per sample) are NCHW inside the graph and NHWC at its inputs and outputs.
 */
import { kapriError } from '../core/errors.js';
import { convLayout, type ConvGeometry } from '../kernels/convGeometry.js';
import { int8WeightsOf, nhwc } from '../runtime/kernelSpecs.js';
import type { QOp } from '../runtime/ops/builtinOps.js';
import type { QActivation, QModel, QTensor } from '../runtime/qmodelTypes.js';
import { activationClamp } from '../runtime/requantize.js';
import type { OnnxGraphBuilder } from './onnxGraphBuilder.js';
import { DataType } from './onnxProto.js';

/** What an op's emitter works with. */
export interface ExportContext {
  readonly g: OnnxGraphBuilder;
  readonly model: QModel;
  readonly tensor: (name: string) => QTensor;
  /** The graph value holding a tensor (NCHW for an int8 image). */
  readonly value: (name: string) => string;
  /** Where the op is, for errors: `op 3 (avgPool → 'p')`. */
  readonly where: string;
}

const f = Math.fround;
const isImage = (t: QTensor): boolean => t.shape.length === 3;

/** The window of a conv or pool over the image `x`. */
const windowOf = (
  x: QTensor,
  kernel: readonly [number, number],
  stride: readonly [number, number],
  padding: 'same' | 'valid',
  dilation: readonly [number, number] = [1, 1],
): ConvGeometry => ({ inShape: nhwc(x), kernel, stride, dilation, padding });

const scalarF32 = (c: ExportContext, hint: string, v: number): string => c.g.constant(hint, Float32Array.of(v), []);
const scalarI8 = (c: ExportContext, hint: string, v: number): string => c.g.constant(hint, Int8Array.of(v), []);

/** The scale and zero-point initializers of a tensor's quantization. */
const quantOf = (c: ExportContext, t: QTensor, scale = t.quant!.scale): [string, string] => [
  scalarF32(c, `${t.name}.scale`, scale),
  scalarI8(c, `${t.name}.zero_point`, t.quant!.zeroPoint),
];

/**
 * Runs `emit` with the value its codes go to: `y`'s own, or, when the fused activation clamps, a
 * value that a Clip on the int8 codes then narrows into `y`.
 */
const withActivation = (c: ExportContext, act: QActivation, y: QTensor, emit: (out: string) => void): void => {
  const [lo, hi] = activationClamp(act, y.quant!);
  if (lo === -128 && hi === 127) {
    emit(c.value(y.name));
    return;
  }
  const codes = c.g.fresh(`${y.name}.codes`);
  emit(codes);
  c.g.node(
    'Clip',
    [codes, scalarI8(c, `${y.name}.clip_lo`, lo), scalarI8(c, `${y.name}.clip_hi`, hi)],
    [c.value(y.name)],
  );
};

/** Convolution geometry as ONNX attributes: pads [top, left, bottom, right]. */
export const convAttrs = (geom: ConvGeometry, group: number) => {
  const { pad } = convLayout(geom);
  return {
    kernel_shape: [...geom.kernel],
    strides: [...geom.stride],
    pads: [pad.top, pad.left, pad.bottom, pad.right],
    dilations: [...geom.dilation],
    group,
  };
};

interface QLinearConvArgs {
  readonly x: QTensor;
  readonly xValue: string;
  readonly y: QTensor;
  /** The output scale declared to QLinearConv (the tensor's, unless a pool folds its count in). */
  readonly yScale: number;
  /** Weights in ONNX layout [Cout, Cin/group, kh, kw]. */
  readonly w: Int8Array;
  readonly wDims: readonly number[];
  readonly wScales: Float32Array;
  readonly bias: Int32Array;
  readonly attrs: ReturnType<typeof convAttrs>;
  readonly out: string;
}

/** One QLinearConv node with per-channel weight scales and zero weight zero points. */
const qlinearConv = (c: ExportContext, a: QLinearConvArgs): void => {
  const [xs, xz] = quantOf(c, a.x);
  const [ys, yz] = quantOf(c, a.y, a.yScale);
  const cout = a.wDims[0]!;
  const w = c.g.constant(`${a.y.name}.weight`, a.w, a.wDims);
  const ws = c.g.constant(`${a.y.name}.weight_scale`, a.wScales, [cout]);
  const wz = c.g.constant(`${a.y.name}.weight_zero_point`, new Int8Array(cout), [cout]);
  const b = c.g.constant(`${a.y.name}.bias`, a.bias, [cout]);
  c.g.node('QLinearConv', [a.xValue, xs, xz, w, ws, wz, ys, yz, b], [a.out], a.attrs);
};

/** kapri [kh, kw, Cin, Cout] → ONNX [Cout, Cin, kh, kw]. */
export const convWeightsToOnnx = (w: Int8Array, kh: number, kw: number, cin: number, cout: number): Int8Array => {
  const out = new Int8Array(w.length);
  for (let i = 0; i < kh; i++)
    for (let j = 0; j < kw; j++)
      for (let ci = 0; ci < cin; ci++)
        for (let co = 0; co < cout; co++)
          out[((co * cin + ci) * kh + i) * kw + j] = w[((i * kw + j) * cin + ci) * cout + co]!;
  return out;
};

/** kapri depthwise [kh, kw, C·m] → ONNX [C·m, 1, kh, kw] (taps: kh·kw; c: output channels). */
export const depthwiseWeightsToOnnx = (w: Int8Array, c: number, taps = 9): Int8Array => {
  const out = new Int8Array(w.length);
  for (let k = 0; k < taps; k++) for (let ch = 0; ch < c; ch++) out[ch * taps + k] = w[k * c + ch]!;
  return out;
};

const sections = (c: ExportContext, op: { weights: number; scales: number; bias: number }) => ({
  scales: c.model.sections[op.scales] as Float32Array,
  bias: c.model.sections[op.bias] as Int32Array,
});

/**
 * An average over a window of `count` positions, all of them inside the input, as a depthwise
 * QLinearConv of ones with output scale f32(count·s_y) (see the file comment).
 */
const averageAsConv = (c: ExportContext, x: QTensor, y: QTensor, geom: ConvGeometry, out: string): void => {
  const { pad } = convLayout(geom);
  if (pad.top + pad.bottom + pad.left + pad.right > 0) {
    throw kapriError(
      'Unsupported',
      `${c.where}: an average pool whose 'same' padding pads the input (pads top ${pad.top}, bottom ${pad.bottom}, left ${pad.left}, right ${pad.right}) divides border windows by fewer positions; no standard ONNX op computes kapri's requantized average there exactly`,
      { where: c.where, op: 'avgPool' },
    );
  }
  const [kh, kw] = geom.kernel;
  const count = kh * kw;
  const yScale = f(f(count) * f(y.quant!.scale));
  if (!Number.isFinite(yScale) || yScale < 1.1754943508222875e-38) {
    throw kapriError(
      'Unsupported',
      `${c.where}: the average's folded output scale ${count} × ${y.quant!.scale} is not a normal float32`,
      { where: c.where },
    );
  }
  const ch = geom.inShape[3];
  qlinearConv(c, {
    x,
    xValue: c.value(x.name),
    y,
    yScale,
    w: new Int8Array(ch * count).fill(1),
    wDims: [ch, 1, kh, kw],
    wScales: new Float32Array(ch).fill(1),
    bias: new Int32Array(ch),
    attrs: convAttrs(geom, ch),
    out,
  });
};

type Emitter<O extends QOp> = (c: ExportContext, op: O) => void;
type Emitters = { readonly [K in QOp['op']]: Emitter<Extract<QOp, { op: K }>> };

/** The ONNX nodes of each built-in op. */
export const EXPORT_OPS: Emitters = {
  quantize(c, op) {
    const y = c.tensor(op.output);
    const [s, z] = quantOf(c, y);
    if (!isImage(y)) {
      c.g.node('QuantizeLinear', [c.value(op.inputs[0]!), s, z], [c.value(y.name)]);
      return;
    }
    const q = c.g.node('QuantizeLinear', [c.value(op.inputs[0]!), s, z], [c.g.fresh(`${y.name}.nhwc`)]);
    c.g.node('Transpose', [q], [c.value(y.name)], { perm: [0, 3, 1, 2] });
  },
  dequantize(c, op) {
    const x = c.tensor(op.inputs[0]!);
    const [s, z] = quantOf(c, x);
    const codes = isImage(x)
      ? c.g.node('Transpose', [c.value(x.name)], [c.g.fresh(`${x.name}.nhwc`)], { perm: [0, 2, 3, 1] })
      : c.value(x.name);
    c.g.node('DequantizeLinear', [codes, s, z], [c.value(op.output)]);
  },
  conv2d(c, op) {
    const x = c.tensor(op.inputs[0]!);
    const y = c.tensor(op.output);
    const [kh, kw] = op.kernel;
    const cin = x.shape[2]!;
    const cout = y.shape[2]!;
    const geom = windowOf(x, op.kernel, op.stride, op.padding);
    const w = int8WeightsOf(c.model.sections, op, op.bits, kh * kw * cin * cout);
    const { scales, bias } = sections(c, op);
    withActivation(c, op.activation, y, (out) =>
      qlinearConv(c, {
        x,
        xValue: c.value(x.name),
        y,
        yScale: y.quant!.scale,
        w: convWeightsToOnnx(w, kh, kw, cin, cout),
        wDims: [cout, cin, kh, kw],
        wScales: scales,
        bias,
        attrs: convAttrs(geom, 1),
        out,
      }),
    );
  },
  depthwise3x3(c, op) {
    const x = c.tensor(op.inputs[0]!);
    const y = c.tensor(op.output);
    const ch = x.shape[2]!;
    const geom = windowOf(x, [3, 3], [op.stride, op.stride], 'same');
    const { scales, bias } = sections(c, op);
    withActivation(c, op.activation, y, (out) =>
      qlinearConv(c, {
        x,
        xValue: c.value(x.name),
        y,
        yScale: y.quant!.scale,
        w: depthwiseWeightsToOnnx(int8WeightsOf(c.model.sections, op, 8, 9 * ch), ch),
        wDims: [ch, 1, 3, 3],
        wScales: scales,
        bias,
        attrs: convAttrs(geom, ch),
        out,
      }),
    );
  },
  depthwise(c, op) {
    const x = c.tensor(op.inputs[0]!);
    const y = c.tensor(op.output);
    const cin = x.shape[2]!;
    const co = y.shape[2]!;
    const [kh, kw] = op.kernel;
    const geom = windowOf(x, op.kernel, op.stride, op.padding, op.dilation);
    const { scales, bias } = sections(c, op);
    withActivation(c, op.activation, y, (out) =>
      qlinearConv(c, {
        x,
        xValue: c.value(x.name),
        y,
        yScale: y.quant!.scale,
        w: depthwiseWeightsToOnnx(int8WeightsOf(c.model.sections, op, 8, kh * kw * co), co, kh * kw),
        wDims: [co, 1, kh, kw],
        wScales: scales,
        bias,
        attrs: convAttrs(geom, cin),
        out,
      }),
    );
  },
  dense(c, op) {
    const x = c.tensor(op.inputs[0]!);
    const y = c.tensor(op.output);
    const d = x.shape[0]!;
    const u = y.shape[0]!;
    const pixel = c.g.node(
      'Reshape',
      [c.value(x.name), c.g.constant(`${y.name}.in_shape`, BigInt64Array.of(-1n, BigInt(d), 1n, 1n), [4])],
      [c.g.fresh(`${x.name}.pixel`)],
    );
    const { scales, bias } = sections(c, op);
    const acc = c.g.fresh(`${y.name}.conv`);
    qlinearConv(c, {
      x,
      xValue: pixel,
      y,
      yScale: y.quant!.scale,
      w: convWeightsToOnnx(int8WeightsOf(c.model.sections, op, op.bits, d * u), 1, 1, d, u),
      wDims: [u, d, 1, 1],
      wScales: scales,
      bias,
      attrs: convAttrs(
        { inShape: [1, 1, 1, d], kernel: [1, 1], stride: [1, 1], dilation: [1, 1], padding: 'valid' },
        1,
      ),
      out: acc,
    });
    withActivation(c, op.activation, y, (out) =>
      c.g.node('Reshape', [acc, c.g.constant(`${y.name}.out_shape`, BigInt64Array.of(-1n, BigInt(u)), [2])], [out]),
    );
  },
  maxPool(c, op) {
    const x = c.tensor(op.inputs[0]!);
    const geom = windowOf(x, op.size, op.stride, op.padding);
    const { pads, kernel_shape, strides } = convAttrs(geom, 1);
    c.g.node('MaxPool', [c.value(x.name)], [c.value(op.output)], { kernel_shape, strides, pads });
  },
  avgPool(c, op) {
    const x = c.tensor(op.inputs[0]!);
    const geom = windowOf(x, op.size, op.stride, op.padding);
    averageAsConv(c, x, c.tensor(op.output), geom, c.value(op.output));
  },
  globalAvgPool(c, op) {
    const x = c.tensor(op.inputs[0]!);
    const y = c.tensor(op.output);
    const [h, w, ch] = x.shape as [number, number, number];
    const geom = windowOf(x, [h, w], [1, 1], 'valid');
    const pooled = c.g.fresh(`${y.name}.pooled`);
    averageAsConv(c, x, y, geom, pooled);
    c.g.node(
      'Reshape',
      [pooled, c.g.constant(`${y.name}.out_shape`, BigInt64Array.of(-1n, BigInt(ch)), [2])],
      [c.value(y.name)],
    );
  },
  add(c, op) {
    const y = c.tensor(op.output);
    const term = (name: string): string => {
      const t = c.tensor(name);
      const m = f(f(t.quant!.scale) / f(y.quant!.scale));
      const v = c.g.node('Cast', [c.value(name)], [c.g.fresh(`${name}.f32`)], { to: DataType.FLOAT });
      const centred = c.g.node(
        'Sub',
        [v, scalarF32(c, `${name}.zero_point_f32`, t.quant!.zeroPoint)],
        [c.g.fresh(`${name}.centred`)],
      );
      return c.g.node('Mul', [centred, scalarF32(c, `${name}.multiplier`, m)], [c.g.fresh(`${name}.term`)]);
    };
    const [a, b] = op.inputs as [string, string];
    const sum = c.g.node('Add', [term(a), term(b)], [c.g.fresh(`${y.name}.sum`)]);
    const unit = scalarF32(c, `${y.name}.unit_scale`, 1);
    const zero = scalarI8(c, `${y.name}.zero_point`, y.quant!.zeroPoint);
    withActivation(c, op.activation, y, (out) => c.g.node('QuantizeLinear', [sum, unit, zero], [out]));
  },
};
