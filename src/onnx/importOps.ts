/**
 * How each supported ONNX node becomes QModel ops, one handler per op type. The QLinear form
 * (QLinearConv, QLinearMatMul, Clip on int8 codes) and the QDQ form (DequantizeLinear → Conv /
 * MatMul / Gemm / MaxPool [→ Relu / Clip] → QuantizeLinear) map onto the same kernels with the
 * same arithmetic, which is what onnxruntime computes for both. uint8 tensors become int8 with the
 * zero point shifted by 128 (exact); weights must be symmetric (zero point 0, or 128 for uint8).
 * Anything else is refused with `Unsupported` naming the node and the reason.
 */
import { convOutSize, padSplit } from '../core/shape.js';
import type { QActivation, QTensor, TensorQuant } from '../runtime/qmodelTypes.js';
import { activationClamp } from '../runtime/requantize.js';
import {
  addSection,
  addTensor,
  settledQuant,
  settleOnRead,
  inHwcOrder,
  refuse,
  type ActValue,
  type ConstValue,
  type DqValue,
  type ImportState,
  type Layout,
  type AddTermValue,
  type PendingValue,
  type Value,
} from './importState.js';
import { addScaleOk, averageScaleOk, provisional } from './provisionalQuant.js';
import { int64, type INodeProto, DataType, type Int64Like } from './onnxProto.js';

const f = Math.fround;
/** The largest depth multiplier the depthwise op takes; a larger one is imported as a block-diagonal conv2d. */
const MAX_DEPTH_MULTIPLIER = 64;

/** The most weights a grouped conv may expand to as kapri's conv2d (block-diagonal), as QModel sections allow. */
const MAX_EXPANDED_WEIGHTS = 1 << 28;

/** What a handler works with. */
export interface NodeContext {
  readonly s: ImportState;
  readonly node: INodeProto;
  readonly where: string;
}

type Handler = (c: NodeContext) => void;

// ── reading inputs and attributes ──────────────────────────────────────────────────────────────

const inputName = (c: NodeContext, i: number): string | undefined => {
  const n = c.node.input?.[i];
  return n === undefined || n === '' ? undefined : n;
};

const value = (c: NodeContext, i: number): Value => {
  const n = inputName(c, i) ?? refuse(c.where, `input ${i} is missing`);
  return c.s.values.get(n) ?? refuse(c.where, `input '${n}' is not produced by a node kapri imports`);
};

const attr = (c: NodeContext, name: string) => c.node.attribute?.find((a) => a.name === name);
const intAttr = (c: NodeContext, name: string, dflt: number): number => {
  const a = attr(c, name);
  return a ? int64(a.i as Int64Like) : dflt;
};
const intsAttr = (c: NodeContext, name: string): number[] | undefined => {
  const a = attr(c, name);
  return a ? (a.ints ?? []).map((v) => int64(v as Int64Like)) : undefined;
};
const stringAttr = (c: NodeContext, name: string): string | undefined => {
  const a = attr(c, name);
  return a?.s ? new TextDecoder().decode(a.s) : undefined;
};

const constant = (c: NodeContext, i: number): ConstValue => {
  const v = value(c, i);
  return v.kind === 'const' ? v : refuse(c.where, `input ${i} ('${inputName(c, i)}') must be a constant initializer`);
};

/** A scalar (one-element) constant. */
const scalar = (c: NodeContext, i: number): number => {
  const k = constant(c, i);
  if (k.data.values.length !== 1) refuse(c.where, `input ${i} ('${inputName(c, i)}') must be a scalar (per-tensor)`);
  return k.data.values[0]!;
};

/** The int8 quantization given by a scale input and an optional zero-point input (uint8 shifted by 128). */
const quantOf = (c: NodeContext, si: number, zi: number | undefined): TensorQuant & { uint8: boolean } => {
  const scale = f(scalar(c, si));
  const z = zi === undefined ? undefined : inputName(c, zi) === undefined ? undefined : constant(c, zi);
  const type = z?.data.elemType ?? DataType.UINT8;
  if (type !== DataType.INT8 && type !== DataType.UINT8) refuse(c.where, 'activations must be int8 or uint8');
  if (z && z.data.values.length !== 1) refuse(c.where, `zero point '${z.data.name}' must be a scalar (per-tensor)`);
  const zp = z ? z.data.values[0]! : 0;
  return { scale, zeroPoint: type === DataType.UINT8 ? zp - 128 : zp, uint8: type === DataType.UINT8 };
};

const sameQuant = (a: TensorQuant, b: TensorQuant): boolean => a.scale === b.scale && a.zeroPoint === b.zeroPoint;

/** The int8 activation an input holds. */
const act = (c: NodeContext, i: number): ActValue => {
  const v = value(c, i);
  if (v.kind !== 'act' || c.s.tensors.get(v.tensor)!.dtype !== 'i8')
    return refuse(c.where, `input ${i} ('${inputName(c, i)}') must be an int8 or uint8 activation`);
  return v;
};

/** Refuses reading `v` with a quantization other than the one its tensor has (kapri keeps one per tensor). */
const checkReadQuant = (c: NodeContext, v: ActValue, q: TensorQuant): void => {
  settleOnRead(c.s, v.tensor, q);
  const t = settledQuant(c.s, v.tensor);
  if (!sameQuant(t, q))
    refuse(
      c.where,
      `reads '${v.tensor}' with scale ${q.scale} and zero point ${q.zeroPoint} (as int8) but it was written with scale ${t.scale} and zero point ${t.zeroPoint}; kapri keeps one quantization per tensor`,
    );
};

/** Weights as symmetric int8: int8 with zero points 0, or uint8 with zero points 128 (shifted). */
const symmetricWeights = (c: NodeContext, w: ConstValue['data'], zps: ArrayLike<number>): Int8Array => {
  const u8 = w.elemType === DataType.UINT8;
  if (!u8 && w.elemType !== DataType.INT8) refuse(c.where, `weights '${w.name}' must be int8 or uint8`);
  const want = u8 ? 128 : 0;
  for (let i = 0; i < zps.length; i++) {
    if (zps[i] !== want)
      refuse(
        c.where,
        `weights '${w.name}' have zero point ${zps[i]} (channel ${i}); kapri imports symmetric weights (zero point ${want} for ${u8 ? 'uint8' : 'int8'}) exactly and nothing else`,
      );
  }
  return Int8Array.from(w.values as ArrayLike<number>, (v) => (u8 ? v - 128 : v));
};

/** Per-channel values of length n from a scalar or an n-vector. */
const perChannel = (c: NodeContext, v: ArrayLike<number>, n: number, what: string): Float32Array => {
  if (v.length === 1) return new Float32Array(n).fill(v[0]!);
  if (v.length !== n) refuse(c.where, `${what} has ${v.length} values for ${n} channels`);
  return Float32Array.from(v);
};

// ── emitting QModel ops ────────────────────────────────────────────────────────────────────────

/** A window's padding as kapri's 'same' (TF's split) or 'valid', or a refusal. */
const paddingOf = (
  c: NodeContext,
  hw: readonly [number, number],
  kernel: readonly [number, number],
  stride: readonly [number, number],
): 'same' | 'valid' => {
  const autoPad = stringAttr(c, 'auto_pad') ?? 'NOTSET';
  const pads = intsAttr(c, 'pads') ?? [0, 0, 0, 0];
  if (autoPad === 'VALID') return 'valid';
  const same = [...padSplit(hw[0], kernel[0], stride[0], 'same'), ...padSplit(hw[1], kernel[1], stride[1], 'same')];
  if (autoPad === 'SAME_UPPER') return 'same';
  if (autoPad !== 'NOTSET') refuse(c.where, `auto_pad ${autoPad} is not kapri's 'same' (SAME_UPPER) or 'valid'`);
  const [top, left, bottom, right] = pads;
  if (top === same[0] && bottom === same[1] && left === same[2] && right === same[3]) return 'same';
  if (pads.every((p) => p === 0)) return 'valid';
  return refuse(
    c.where,
    `pads [${pads.join(', ')}] are neither kapri's 'same' (TF's split, here [${same[0]}, ${same[2]}, ${same[1]}, ${same[3]}]) nor 'valid' (none)`,
  );
};

/** The 2-D window attributes of a Conv or a pool; dilations must be 1 unless `dilated` allows them (a Conv). */
const windowAttrs = (c: NodeContext, kernelFrom?: readonly number[], dilated = false) => {
  const kernel = (intsAttr(c, 'kernel_shape') ?? kernelFrom ?? refuse(c.where, 'needs kernel_shape')) as number[];
  if (kernel.length !== 2) refuse(c.where, 'kapri imports 2-D windows only');
  const stride = intsAttr(c, 'strides') ?? [1, 1];
  const dilations = intsAttr(c, 'dilations') ?? [1, 1];
  if (dilations.length !== 2 || dilations.some((d) => !Number.isInteger(d) || d < 1))
    refuse(c.where, `dilations [${dilations.join(', ')}] are not two positive integers`);
  if (!dilated && dilations.some((d) => d !== 1)) refuse(c.where, `dilations [${dilations.join(', ')}] are not 1`);
  return {
    kernel: [kernel[0]!, kernel[1]!] as const,
    stride: [stride[0]!, stride[1]!] as const,
    dilation: [dilations[0]!, dilations[1]!] as const,
  };
};

/** The [C, H, W] of an image input, requiring a QModel image tensor behind it. */
const imageOf = (c: NodeContext, x: ActValue): [number, number, number] => {
  if (x.layout !== 'nchw' || x.dims.length !== 3) refuse(c.where, `input '${x.tensor}' must be an NCHW image`);
  return x.dims as unknown as [number, number, number];
};

interface WeightOpArgs {
  readonly x: ActValue;
  readonly out: string;
  readonly yq: TensorQuant;
  readonly activation: QActivation;
  /** ONNX conv weights [M, C/group, kh, kw] as int8. */
  readonly w: Int8Array;
  readonly m: number;
  readonly group: number;
  readonly kernel: readonly [number, number];
  readonly stride: readonly [number, number];
  readonly dilation: readonly [number, number];
  readonly scales: Float32Array;
  readonly bias: Int32Array;
}

const weightSections = (s: ImportState, w: Int8Array, scales: Float32Array, bias: Int32Array) => ({
  weights: addSection(s, w),
  scales: addSection(s, scales),
  bias: addSection(s, bias),
});

/**
 * A convolution: depthwise3x3 when it is one, depthwise (any window, dilation, multiplier) when its
 * groups are its input channels, a dense layer over a flat tensor, else conv2d (groups block-diagonal).
 */
const emitConv = (c: NodeContext, a: WeightOpArgs): ActValue => {
  const xt = c.s.tensors.get(a.x.tensor)!;
  const [cin, h, w] = imageOf(c, a.x);
  const [kh, kw] = a.kernel;
  if (cin % a.group !== 0 || a.m % a.group !== 0) refuse(c.where, `group ${a.group} does not divide the channels`);
  const cg = cin / a.group;
  const mg = a.m / a.group;
  if (a.w.length !== a.m * cg * kh * kw)
    refuse(c.where, `weights hold ${a.w.length} values for [${a.m}, ${cg}, ${kh}, ${kw}]`);
  const dilated = a.dilation[0] !== 1 || a.dilation[1] !== 1;
  const depthwise = a.group === cin && xt.shape.length === 3;
  if (dilated && !depthwise)
    refuse(
      c.where,
      `dilations [${a.dilation.join(', ')}]: kapri runs dilated depthwise convolutions (group = channels) only`,
    );
  // the dilated window's span decides padding and output size
  const span = [(kh - 1) * a.dilation[0] + 1, (kw - 1) * a.dilation[1] + 1] as const;
  const padding = paddingOf(c, [h, w], span, a.stride);
  const oh = convOutSize(h, span[0], a.stride[0], padding);
  const ow = convOutSize(w, span[1], a.stride[1], padding);
  const head = { inputs: [a.x.tensor], output: a.out, activation: a.activation };
  if (xt.shape.length === 1) {
    // A flat tensor seen as [D, 1, 1]: only a 1×1 conv of one group, which is a dense layer.
    if (kh !== 1 || kw !== 1 || a.group !== 1 || oh !== 1 || ow !== 1)
      refuse(
        c.where,
        `a convolution over '${a.x.tensor}', a flat tensor, must be 1×1 with one group (kapri has no reshape op)`,
      );
    const wt = new Int8Array(cin * a.m);
    for (let o = 0; o < a.m; o++) for (let i = 0; i < cin; i++) wt[i * a.m + o] = a.w[o * cin + i]!;
    addTensor(c.s, { name: a.out, shape: [a.m], dtype: 'i8', quant: a.yq });
    c.s.ops.push({ op: 'dense', ...head, bits: 8, ...weightSections(c.s, wt, a.scales, a.bias) });
    return { kind: 'act', tensor: a.out, layout: 'nchw', dims: [a.m, 1, 1] };
  }
  addTensor(c.s, { name: a.out, shape: [oh, ow, a.m], dtype: 'i8', quant: a.yq });
  const s0 = a.stride[0];
  const taps = kh * kw;
  // ONNX [M, 1, kh, kw] → kapri [kh, kw, M]
  const depthwiseWeights = (): Int8Array => {
    const wt = new Int8Array(taps * a.m);
    for (let o = 0; o < a.m; o++) for (let t = 0; t < taps; t++) wt[t * a.m + o] = a.w[o * taps + t]!;
    return wt;
  };
  if (
    depthwise &&
    !dilated &&
    a.m === cin &&
    kh === 3 &&
    kw === 3 &&
    padding === 'same' &&
    s0 === a.stride[1] &&
    (s0 === 1 || s0 === 2)
  ) {
    c.s.ops.push({
      op: 'depthwise3x3',
      ...head,
      stride: s0,
      ...weightSections(c.s, depthwiseWeights(), a.scales, a.bias),
    });
  } else if (depthwise && mg <= MAX_DEPTH_MULTIPLIER) {
    c.s.ops.push({
      op: 'depthwise',
      ...head,
      kernel: [kh, kw],
      stride: [...a.stride],
      dilation: [...a.dilation],
      padding,
      multiplier: mg,
      ...weightSections(c.s, depthwiseWeights(), a.scales, a.bias),
    });
  } else {
    const expanded = kh * kw * cin * a.m;
    if (expanded > MAX_EXPANDED_WEIGHTS)
      refuse(
        c.where,
        `its ${a.group} groups would expand to ${expanded} dense weights (at most ${MAX_EXPANDED_WEIGHTS})`,
      );
    const wt = new Int8Array(expanded);
    for (let o = 0; o < a.m; o++) {
      const g = Math.floor(o / mg);
      for (let ci = 0; ci < cg; ci++)
        for (let i = 0; i < kh; i++)
          for (let j = 0; j < kw; j++)
            wt[((i * kw + j) * cin + g * cg + ci) * a.m + o] = a.w[((o * cg + ci) * kh + i) * kw + j]!;
    }
    c.s.ops.push({
      op: 'conv2d',
      ...head,
      kernel: [kh, kw],
      stride: [...a.stride],
      padding,
      bits: 8,
      ...weightSections(c.s, wt, a.scales, a.bias),
    });
  }
  return { kind: 'act', tensor: a.out, layout: 'nchw', dims: [a.m, oh, ow] };
};

/** A [N, D] × [D, U] product: dense over a flat tensor, or a valid conv whose window is the whole image behind a flat view. */
const emitMatMul = (
  c: NodeContext,
  x: ActValue,
  b: Int8Array,
  u: number,
  out: string,
  yq: TensorQuant,
  activation: QActivation,
  scales: Float32Array,
  bias: Int32Array,
): ActValue => {
  if (x.dims.length !== 1 || !inHwcOrder(x.layout, x.dims)) refuse(c.where, `input '${x.tensor}' must be [N, D]`);
  const xt = c.s.tensors.get(x.tensor)!;
  const d = x.dims[0]!;
  if (b.length !== d * u) refuse(c.where, `the weight matrix holds ${b.length} values for [${d}, ${u}]`);
  const fields = weightSections(c.s, b, scales, bias);
  const head = { inputs: [x.tensor], output: out, activation, bits: 8 };
  if (xt.shape.length === 1) {
    addTensor(c.s, { name: out, shape: [u], dtype: 'i8', quant: yq });
    c.s.ops.push({ op: 'dense', ...head, ...fields });
  } else {
    // [D, U] row-major with D in HWC order is exactly conv2d's [kh, kw, Cin, Cout] for the whole image.
    const [h, w] = xt.shape as [number, number, number];
    addTensor(c.s, { name: out, shape: [1, 1, u], dtype: 'i8', quant: yq });
    c.s.ops.push({ op: 'conv2d', ...head, kernel: [h, w], stride: [1, 1], padding: 'valid', ...fields });
  }
  return { kind: 'act', tensor: out, layout: 'flat', dims: [u] };
};

const outName = (c: NodeContext): string => c.node.output?.[0] ?? refuse(c.where, 'has no output');

const setOut = (c: NodeContext, v: Value): void => {
  c.s.values.set(outName(c), v);
  (c.node.output ?? []).slice(1).forEach((o) => {
    if (o !== '') refuse(c.where, `its output ${o} (beyond the first) is not imported`);
  });
};

/** The fused activation whose int8 clamp is [lo, hi] for `q`, or a refusal. */
const activationFor = (c: NodeContext, q: TensorQuant, lo: number, hi: number): QActivation => {
  for (const a of ['none', 'relu', 'relu6'] as const) {
    const [l, h] = activationClamp(a, q);
    if (l === lo && h === hi) return a;
  }
  return refuse(
    c.where,
    `the clamp [${lo}, ${hi}] (int8 codes) is not a ReLU or ReLU6 of scale ${q.scale}, zero point ${q.zeroPoint}`,
  );
};

/** Weight-op arguments of a QDQ-form op, completed when its QuantizeLinear gives the output quantization. */
const pending = (
  c: NodeContext,
  layout: Layout,
  dims: readonly number[],
  emit: (out: string, yq: TensorQuant, a: QActivation) => ActValue,
): PendingValue => ({
  kind: 'pending',
  where: c.where,
  layout,
  dims,
  activation: 'none',
  emit: (out, yq, a) => {
    const v = emit(out, yq, a);
    c.s.values.set(out, v);
  },
});

/** The weights of a QDQ-form op: a DequantizeLinear of a constant, symmetric, with scales along `axis`. */
const dqWeights = (c: NodeContext, i: number, channels: number, axis: number) => {
  const k = constant(c, i);
  if (!k.dq) refuse(c.where, `weights '${k.data.name}' must come through DequantizeLinear (QDQ form)`);
  const dq = k.dq!;
  if (dq.scale.length !== 1 && dq.axis !== axis)
    refuse(c.where, `weights '${k.data.name}' are quantized along axis ${dq.axis}, not the output channels`);
  return {
    w: symmetricWeights(
      c,
      k.data,
      dq.zeroPoint.length === 1 ? new Int32Array(channels).fill(dq.zeroPoint[0]!) : dq.zeroPoint,
    ),
    scales: perChannel(c, dq.scale, channels, `the scales of '${k.data.name}'`),
  };
};

/** The int32 bias of a QDQ-form op: absent (zeros) or a DequantizeLinear of int32 with scale f32(s_x·s_w). */
const dqBias = (c: NodeContext, i: number, xs: number, ws: Float32Array): Int32Array => {
  if (inputName(c, i) === undefined) return new Int32Array(ws.length);
  const k = constant(c, i);
  if (!k.dq || k.data.elemType !== DataType.INT32)
    refuse(c.where, `bias '${k.data.name}' must be a DequantizeLinear of int32`);
  const scales = perChannel(c, k.dq!.scale, ws.length, `the scales of '${k.data.name}'`);
  ws.forEach((s, o) => {
    if (scales[o] !== f(f(xs) * f(s)) || (k.dq!.zeroPoint[o] ?? k.dq!.zeroPoint[0]) !== 0)
      refuse(c.where, `bias '${k.data.name}' channel ${o} is not quantized with scale s_x·s_w and zero point 0`);
  });
  if (k.data.values.length !== ws.length)
    refuse(c.where, `bias '${k.data.name}' has ${k.data.values.length} values for ${ws.length} channels`);
  return Int32Array.from(k.data.values as Int32Array);
};

const dqInput = (c: NodeContext, i: number): DqValue => {
  const v = value(c, i);
  return v.kind === 'dq'
    ? v
    : refuse(c.where, `input ${i} ('${inputName(c, i)}') must be a DequantizeLinear of an int8 activation (QDQ form)`);
};

const quantOfTensor = (c: NodeContext, v: ActValue): TensorQuant => settledQuant(c.s, v.tensor);

/**
 * A depthwise conv of ones with unit weight scales and no bias over unpadded windows: an average
 * (kapri's export writes avgPool and globalAvgPool so). Its declared output scale is f32(count·s_y);
 * s_y is settled by the tensor's first reader (provisionalQuant.ts).
 */
const emitAverage = (
  c: NodeContext,
  x: ActValue,
  out: string,
  yq: TensorQuant,
  kernel: readonly [number, number],
  stride: readonly [number, number],
): ActValue => {
  const [ch, h, w] = imageOf(c, x);
  const padding = paddingOf(c, [h, w], kernel, stride);
  if (
    padding === 'same' &&
    padSplit(h, kernel[0], stride[0], 'same')
      .concat(padSplit(w, kernel[1], stride[1], 'same'))
      .some((p) => p > 0)
  )
    refuse(
      c.where,
      'a conv of ones over padded windows is not an average kapri computes (border windows would divide by fewer positions)',
    );
  const count = kernel[0] * kernel[1];
  const p =
    provisional(yq.zeroPoint, yq.scale / count, averageScaleOk(count, yq.scale)) ??
    refuse(c.where, `no float32 output scale s gives f32(${count}·s) = ${yq.scale}`);
  const [oh, ow] = [convOutSize(h, kernel[0], stride[0], padding), convOutSize(w, kernel[1], stride[1], padding)];
  // A whole-image average read as a vector (through Reshape / Flatten) is globalAvgPool, whose output is [C].
  const readers = c.s.readerOps.get(out) ?? [];
  const global =
    oh === 1 &&
    ow === 1 &&
    kernel[0] === h &&
    kernel[1] === w &&
    readers.length > 0 &&
    readers.every((r) => r === 'Reshape' || r === 'Flatten');
  addTensor(c.s, { name: out, shape: global ? [ch] : [oh, ow, ch], dtype: 'i8', quant: p.fallback });
  c.s.provisional.set(out, p);
  c.s.ops.push(
    global
      ? { op: 'globalAvgPool', inputs: [x.tensor], output: out }
      : { op: 'avgPool', inputs: [x.tensor], output: out, size: [...kernel], stride: [...stride], padding },
  );
  return { kind: 'act', tensor: out, layout: 'nchw', dims: [ch, oh, ow] };
};

/** Cast of int8 codes to float: the first step of an add in kapri's exported form. */
const cast = (c: NodeContext): void => {
  if (intAttr(c, 'to', 0) !== DataType.FLOAT) refuse(c.where, 'casts int8 codes to float only');
  setOut(c, { kind: 'addTerm', src: act(c, 0), step: 'cast', multiplier: 1 });
};

/** Sub of the zero point, then Mul by the multiplier: (q − z)·m, as kapri's exported add writes each input. */
const addStep = (c: NodeContext, step: 'centred' | 'scaled'): void => {
  const v = value(c, 0);
  const before = step === 'centred' ? 'cast' : 'centred';
  if (v.kind !== 'addTerm' || v.step !== before)
    refuse(
      c.where,
      `is not a step of an add in kapri's form (Cast → Sub zero point → Mul multiplier → Add → QuantizeLinear)`,
    );
  const t = v as AddTermValue;
  const k = scalar(c, 1);
  if (step === 'centred' && k !== c.s.tensors.get(t.src.tensor)!.quant!.zeroPoint)
    refuse(c.where, `subtracts ${k}, not the zero point of '${t.src.tensor}'`);
  setOut(c, { ...t, step, multiplier: step === 'scaled' ? f(k) : 1 });
};

/** Add: of two scaled terms, kapri's requantized add (settled at its QuantizeLinear); of dequantized values, refused. */
const addOp = (c: NodeContext): void => {
  const [a, b] = [value(c, 0), value(c, 1)];
  if (a.kind !== 'addTerm' || b.kind !== 'addTerm' || a.step !== 'scaled' || b.step !== 'scaled') {
    inexact(c);
    return;
  }
  if (a.src.dims.join(',') !== b.src.dims.join(',') || a.src.layout !== b.src.layout)
    refuse(c.where, 'adds tensors of different shapes');
  setOut(
    c,
    pending(c, a.src.layout, a.src.dims, (out, yq, act) => {
      if (yq.scale !== 1) refuse(c.where, `the QuantizeLinear after the add has scale ${yq.scale}, not 1`);
      const [sa, sb] = [quantOfTensor(c, a.src).scale, quantOfTensor(c, b.src).scale];
      const p =
        provisional(yq.zeroPoint, sa / a.multiplier, addScaleOk(sa, a.multiplier, sb, b.multiplier)) ??
        refuse(c.where, `no float32 output scale gives the add's multipliers ${a.multiplier} and ${b.multiplier}`);
      addTensor(c.s, { name: out, shape: c.s.tensors.get(a.src.tensor)!.shape, dtype: 'i8', quant: p.fallback });
      c.s.provisional.set(out, p);
      c.s.ops.push({ op: 'add', inputs: [a.src.tensor, b.src.tensor], output: out, activation: act });
      return { kind: 'act', tensor: out, layout: a.src.layout, dims: a.src.dims };
    }),
  );
};

// ── the handlers ────────────────────────────────────────────────────────────────────────────────

const conv = (c: NodeContext, qlinear: boolean): void => {
  const group = intAttr(c, 'group', 1);
  if (qlinear) {
    const x = act(c, 0);
    checkReadQuant(c, x, quantOf(c, 1, 2));
    const wk = constant(c, 3);
    const m = wk.data.dims[0]!;
    const wz = constant(c, 5).data;
    const w = symmetricWeights(
      c,
      wk.data,
      wz.values.length === 1 ? new Array(m).fill(wz.values[0]) : (wz.values as ArrayLike<number>),
    );
    if (wz.elemType !== wk.data.elemType) refuse(c.where, 'weights and their zero point differ in type');
    const scales = perChannel(c, constant(c, 4).data.values, m, 'w_scale');
    const yq = quantOf(c, 6, 7);
    const bias =
      inputName(c, 8) === undefined ? new Int32Array(m) : Int32Array.from(constant(c, 8).data.values as Int32Array);
    const { kernel, stride, dilation } = windowAttrs(c, wk.data.dims.slice(2), true);
    const average =
      group === m &&
      dilation.every((d) => d === 1) &&
      w.every((v) => v === 1) &&
      scales.every((v) => v === 1) &&
      bias.every((v) => v === 0);
    if (average && c.s.tensors.get(x.tensor)!.shape.length === 3 && imageOf(c, x)[0] === m) {
      setOut(c, emitAverage(c, x, outName(c), yq, kernel, stride));
      return;
    }
    setOut(
      c,
      emitConv(c, { x, out: outName(c), yq, activation: 'none', w, m, group, kernel, stride, dilation, scales, bias }),
    );
    return;
  }
  const x = dqInput(c, 0).src;
  const m = constant(c, 1).data.dims[0]!;
  const { w, scales } = dqWeights(c, 1, m, 0);
  const bias = dqBias(c, 2, quantOfTensor(c, x).scale, scales);
  const { kernel, stride, dilation } = windowAttrs(c, constant(c, 1).data.dims.slice(2), true);
  const [, h, wd] = imageOf(c, x);
  const span = [(kernel[0] - 1) * dilation[0] + 1, (kernel[1] - 1) * dilation[1] + 1] as const;
  const pad = paddingOf(c, [h, wd], span, stride);
  const dims = [m, convOutSize(h, span[0], stride[0], pad), convOutSize(wd, span[1], stride[1], pad)];
  setOut(
    c,
    pending(c, 'nchw', dims, (out, yq, a) =>
      emitConv(c, { x, out, yq, activation: a, w, m, group, kernel, stride, dilation, scales, bias }),
    ),
  );
};

const matMul = (c: NodeContext, kind: 'QLinearMatMul' | 'MatMul' | 'Gemm'): void => {
  if (kind === 'QLinearMatMul') {
    const x = act(c, 0);
    checkReadQuant(c, x, quantOf(c, 1, 2));
    const b = constant(c, 3).data;
    if (b.dims.length !== 2) refuse(c.where, 'the weight matrix must be 2-D');
    const u = b.dims[1]!;
    const bz = constant(c, 5).data;
    const w = symmetricWeights(
      c,
      b,
      bz.values.length === 1 ? new Array(u).fill(bz.values[0]) : (bz.values as ArrayLike<number>),
    );
    const scales = perChannel(c, constant(c, 4).data.values, u, 'b_scale');
    const yq = quantOf(c, 6, 7);
    setOut(c, emitMatMul(c, x, w, u, outName(c), yq, 'none', scales, new Int32Array(u)));
    return;
  }
  if (kind === 'Gemm') {
    if (intAttr(c, 'transA', 0) !== 0) refuse(c.where, 'transA must be 0');
    for (const k of ['alpha', 'beta']) {
      const a = attr(c, k);
      if (a && a.f !== 1) refuse(c.where, `${k} must be 1`);
    }
  }
  const x = dqInput(c, 0).src;
  const b = constant(c, 1).data;
  if (b.dims.length !== 2) refuse(c.where, 'the weight matrix must be 2-D');
  const transB = kind === 'Gemm' && intAttr(c, 'transB', 0) === 1;
  const u = transB ? b.dims[0]! : b.dims[1]!;
  const d = transB ? b.dims[1]! : b.dims[0]!;
  const { w, scales } = dqWeights(c, 1, u, transB ? 0 : 1);
  const wt = transB ? Int8Array.from({ length: d * u }, (_, k) => w[(k % u) * d + Math.floor(k / u)]!) : w;
  const bias = kind === 'Gemm' ? dqBias(c, 2, quantOfTensor(c, x).scale, scales) : new Int32Array(u);
  setOut(
    c,
    pending(c, 'flat', [u], (out, yq, a) => emitMatMul(c, x, wt, u, out, yq, a, scales, bias)),
  );
};

const maxPool = (c: NodeContext): void => {
  if (intAttr(c, 'ceil_mode', 0) !== 0) refuse(c.where, 'ceil_mode must be 0');
  if (intAttr(c, 'storage_order', 0) !== 0) refuse(c.where, 'storage_order must be 0');
  const v = value(c, 0);
  const x = v.kind === 'dq' ? v.src : act(c, 0);
  const [ch, h, w] = imageOf(c, x);
  const { kernel, stride } = windowAttrs(c);
  const padding = paddingOf(c, [h, w], kernel, stride);
  const dims = [ch, convOutSize(h, kernel[0], stride[0], padding), convOutSize(w, kernel[1], stride[1], padding)];
  const emit = (out: string): ActValue => {
    addTensor(c.s, { name: out, shape: [dims[1]!, dims[2]!, ch], dtype: 'i8', quant: quantOfTensor(c, x) });
    c.s.ops.push({ op: 'maxPool', inputs: [x.tensor], output: out, size: [...kernel], stride: [...stride], padding });
    return { kind: 'act', tensor: out, layout: 'nchw', dims };
  };
  if (v.kind === 'act') {
    setOut(c, emit(outName(c)));
    return;
  }
  setOut(
    c,
    pending(c, 'nchw', dims, (out, yq, a) => {
      if (!sameQuant(yq, quantOfTensor(c, x)) || a !== 'none')
        refuse(c.where, 'a QDQ max pool must quantize its output as its input (kapri pools keep the quantization)');
      return emit(out);
    }),
  );
};

/**
 * Ops kapri has but cannot import exactly: onnxruntime computes their QDQ forms from dequantized
 * floats (a float sum, then a division), kapri from the integer sum times one float32 multiplier, and
 * measured on the tests' models the two disagree by one code on some outputs.
 */
const inexact = (c: NodeContext): void =>
  refuse(
    c.where,
    "onnxruntime computes this op in float from dequantized values and kapri's kernel from the integer sum with one float32 multiplier; their outputs differ by a code on some inputs, so it is not imported",
  );

/** Relu / Clip: on a QDQ-form op's float output a fused activation; on int8 codes (Clip) folded into the op that wrote them. */
const clip = (c: NodeContext, relu: boolean): void => {
  const v = value(c, 0);
  const bound = (i: number, a: string, dflt: number): number =>
    inputName(c, i) !== undefined ? scalar(c, i) : attr(c, a) ? (attr(c, a)!.f ?? dflt) : dflt;
  if (v.kind === 'pending') {
    const lo = relu ? 0 : bound(1, 'min', Number.NEGATIVE_INFINITY);
    const hi = relu ? Number.POSITIVE_INFINITY : bound(2, 'max', Number.POSITIVE_INFINITY);
    if (v.activation !== 'none') refuse(c.where, 'a second activation on one op');
    const a: QActivation =
      lo === 0 && hi === Number.POSITIVE_INFINITY
        ? 'relu'
        : lo === 0 && hi === 6
          ? 'relu6'
          : refuse(c.where, `Clip [${lo}, ${hi}] is not a ReLU or a ReLU6`);
    setOut(c, { ...v, activation: a, where: `${v.where} with ${c.where}` });
    return;
  }
  if (relu) refuse(c.where, 'Relu must follow the float output of a QDQ-form Conv / MatMul / Gemm');
  const x = act(c, 0);
  const q = c.s.tensors.get(x.tensor)!.quant!; // a provisional scale stays open: a ReLU's clamp needs only the zero point
  const shift = (n: number, i: number) => {
    const k = constant(c, i).data;
    return k.elemType === DataType.UINT8 ? n - 128 : n;
  };
  const lo = inputName(c, 1) !== undefined ? shift(scalar(c, 1), 1) : -128;
  const hi = inputName(c, 2) !== undefined ? shift(scalar(c, 2), 2) : 127;
  const a = activationFor(c, q, Math.max(lo, -128), Math.min(hi, 127));
  if (a === 'none') {
    setOut(c, x);
    return;
  }
  const producer = c.s.ops.find((o) => o.output === x.tensor);
  if (!producer || !('activation' in producer) || producer['activation'] !== 'none')
    refuse(c.where, `Clip on '${x.tensor}' must follow a conv or matmul without an activation (it is folded into it)`);
  if ((c.s.readers.get(node0(c)) ?? 0) > 1)
    refuse(
      c.where,
      `'${node0(c)}' is read by more than this Clip; its clamp cannot be folded into the op that writes it`,
    );
  producer['activation'] = a;
  setOut(c, x);
};
const node0 = (c: NodeContext): string => inputName(c, 0)!;

const transpose = (c: NodeContext): void => {
  const v = value(c, 0);
  const x = v.kind === 'act' ? v : v.kind === 'dq' ? v.src : refuse(c.where, 'transposes only activations');
  const perm = (intsAttr(c, 'perm') ?? []).join(',');
  let out: ActValue;
  if (x.dims.length === 3 && x.layout === 'nhwc' && perm === '0,3,1,2')
    out = { ...x, layout: 'nchw', dims: [x.dims[2]!, x.dims[0]!, x.dims[1]!] };
  else if (x.dims.length === 3 && x.layout === 'nchw' && perm === '0,2,3,1')
    out = { ...x, layout: 'nhwc', dims: [x.dims[1]!, x.dims[2]!, x.dims[0]!] };
  else if (x.dims.length === 1 && perm === '0,1') out = x;
  else out = refuse(c.where, `perm [${perm}] is not a layout change kapri can follow (NHWC ⇄ NCHW)`);
  setOut(c, v.kind === 'dq' ? { kind: 'dq', src: out } : out);
};

/** Reshape / Flatten that only relabel the dims of a tensor whose element order stays HWC. */
const reshape = (c: NodeContext, flatten: boolean): void => {
  const v = value(c, 0);
  const x = v.kind === 'act' ? v : v.kind === 'dq' ? v.src : refuse(c.where, 'reshapes only activations');
  const size = x.dims.reduce((a, b) => a * b, 1);
  let dims: number[];
  if (flatten) {
    if (intAttr(c, 'axis', 1) !== 1) refuse(c.where, 'Flatten must keep the batch axis (axis 1)');
    dims = [size];
  } else {
    const shape = Array.from(constant(c, 1).data.values);
    if (shape[0] !== -1 && shape[0] !== 0) refuse(c.where, 'the target shape must keep the batch axis (-1 or 0 first)');
    dims = shape.slice(1).map((d, i) => (d === 0 ? x.dims[i]! : d));
    if (dims.includes(-1)) refuse(c.where, 'the target shape must be static but for the batch axis');
    if (dims.reduce((a, b) => a * b, 1) !== size) refuse(c.where, `[${dims.join(', ')}] does not hold ${size} values`);
  }
  const layout: Layout =
    dims.length === 1
      ? 'flat'
      : dims.length === 3
        ? 'nchw'
        : refuse(c.where, 'reshapes to [N, D] or [N, C, H, W] only');
  if (!inHwcOrder(x.layout, x.dims) || !inHwcOrder(layout, dims))
    refuse(
      c.where,
      'the reshape moves elements (an NCHW tensor with several channels and pixels): it is not layout-only',
    );
  const xt = c.s.tensors.get(x.tensor)!;
  if (layout === 'nchw' && xt.shape.length === 3 && (xt.shape[0] !== dims[1] || xt.shape[1] !== dims[2]))
    refuse(c.where, `kapri has no reshape op: '${x.tensor}' stays [${xt.shape.join(', ')}]`);
  const out: ActValue = { ...x, layout, dims };
  setOut(c, v.kind === 'dq' ? { kind: 'dq', src: out } : out);
};

const quantize = (c: NodeContext): void => {
  if (intAttr(c, 'axis', 1) !== 1 && constant(c, 1).data.values.length !== 1)
    refuse(c.where, 'activations must be quantized per tensor');
  const q = quantOf(c, 1, 2);
  const yq: TensorQuant = { scale: q.scale, zeroPoint: q.zeroPoint };
  const v = value(c, 0);
  const out = outName(c);
  if (v.kind === 'pending') {
    v.emit(out, yq, v.activation);
    return;
  }
  if (v.kind !== 'act' || c.s.tensors.get(v.tensor)!.dtype !== 'f32')
    refuse(c.where, 'quantizes the graph input or the float output of a QDQ-form op only');
  const t = c.s.tensors.get(v.tensor)!;
  addTensor(c.s, { name: out, shape: t.shape, dtype: 'i8', quant: yq } satisfies QTensor);
  c.s.ops.push({ op: 'quantize', inputs: [v.tensor], output: out });
  setOut(c, { ...v, tensor: out });
};

const dequantize = (c: NodeContext): void => {
  const v = value(c, 0);
  if (v.kind === 'const') {
    const scale = Float32Array.from(constant(c, 1).data.values);
    const zeroPoint = inputName(c, 2) === undefined ? new Int32Array(1) : Int32Array.from(constant(c, 2).data.values);
    setOut(c, { ...v, dq: { scale, zeroPoint, axis: intAttr(c, 'axis', 1) } });
    return;
  }
  const x = act(c, 0);
  checkReadQuant(c, x, quantOf(c, 1, 2));
  setOut(c, { kind: 'dq', src: x });
};

/** The handlers by ONNX op type (default domain). */
export const IMPORT_OPS: Readonly<Record<string, Handler>> = {
  QuantizeLinear: quantize,
  DequantizeLinear: dequantize,
  QLinearConv: (c) => conv(c, true),
  Conv: (c) => conv(c, false),
  QLinearMatMul: (c) => matMul(c, 'QLinearMatMul'),
  MatMul: (c) => matMul(c, 'MatMul'),
  Gemm: (c) => matMul(c, 'Gemm'),
  MaxPool: maxPool,
  Add: addOp,
  Cast: cast,
  Sub: (c) => addStep(c, 'centred'),
  Mul: (c) => addStep(c, 'scaled'),
  AveragePool: inexact,
  GlobalAveragePool: inexact,
  Relu: (c) => clip(c, true),
  Clip: (c) => clip(c, false),
  Transpose: transpose,
  Reshape: (c) => reshape(c, false),
  Flatten: (c) => reshape(c, true),
  Identity: (c) => setOut(c, value(c, 0)),
};
