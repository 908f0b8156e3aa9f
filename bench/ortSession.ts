/**
 * One onnxruntime peer measurement, the same in Node and in a browser: load ONNX bytes into a
 * session of the onnxruntime module given (onnxruntime-web, onnxruntime-node: both have the
 * onnxruntime-common API), run the input once, check that every output has exactly the bits kapri
 * computed, and only then time `session.run` (input tensor to output tensors read back). A peer
 * whose outputs differ is not timed: its row would time something other than the model.
 * This file imports nothing of Node, so a browser bench can import it as it is.
 */
import { type MeasureOptions, measureMs } from './measure.js';

/** Output data as onnxruntime returns it for the types the bench models produce. */
export type OrtData = Float32Array | Int8Array;

/** The part of a tensor of onnxruntime the bench reads. */
export interface OrtTensorLike {
  readonly data: unknown;
  readonly dims: readonly number[];
}

/** The part of an onnxruntime InferenceSession the bench uses. */
export interface OrtSessionLike {
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  run(feeds: Record<string, OrtTensorLike>): Promise<Record<string, OrtTensorLike>>;
  release(): Promise<void>;
}

/** The part of an onnxruntime module (`import * as ort from 'onnxruntime-web'`) the bench uses. */
export interface OrtApi {
  readonly InferenceSession: {
    create(bytes: Uint8Array, options?: Record<string, unknown>): Promise<OrtSessionLike>;
  };
  readonly Tensor: new (type: 'float32' | 'int8', data: OrtData, dims: readonly number[]) => OrtTensorLike;
}

/** A model, its one input, and the outputs kapri computed for that input. */
export interface OrtJob {
  /** Names the job in results and faults, e.g. `model_int8 hands student 1x32x32x3`. */
  readonly label: string;
  readonly bytes: Uint8Array;
  readonly input: { readonly name: string; readonly data: OrtData; readonly dims: readonly number[] };
  /** Kapri's outputs by name, in the layout the ONNX graph declares. */
  readonly expected: Readonly<Record<string, OrtData>>;
  readonly measure: MeasureOptions;
}

/** What one job gave: the median ms, or why it was not timed. */
export type OrtJobResult =
  | { readonly label: string; readonly ok: true; readonly msMedian: number }
  | { readonly label: string; readonly ok: false; readonly fault: string };

/** The bit patterns of values (float32 as uint32, so that −0 ≠ 0 and NaNs compare by payload). */
const patterns = (d: OrtData): ArrayLike<number> =>
  d instanceof Float32Array ? new Uint32Array(d.buffer, d.byteOffset, d.length) : d;

/**
 * Where `got` differs from `want` in bits: null when identical, else a sentence naming the output,
 * how many values differ and the first of them.
 */
export const bitMismatch = (name: string, want: OrtData, got: unknown): string | null => {
  if (!(got instanceof Float32Array || got instanceof Int8Array) || got.constructor !== want.constructor)
    return `output '${name}': onnxruntime returned ${Object.prototype.toString.call(got)}, kapri ${want.constructor.name}`;
  if (got.length !== want.length) return `output '${name}': ${got.length} values, kapri has ${want.length}`;
  const a = patterns(want);
  const b = patterns(got);
  let first = -1;
  let count = 0;
  for (let i = 0; i < a.length; i++) {
    if (a[i] !== b[i]) {
      if (first < 0) first = i;
      count++;
    }
  }
  return count === 0
    ? null
    : `output '${name}': ${count} of ${a.length} values differ from kapri's bits (first at ${first}: ${got[first]} vs ${want[first]})`;
};

/** A session whose first run gave exactly kapri's bits, with the feeds it ran; or why it is not timed. */
export type CheckedSession =
  | { readonly ok: true; readonly session: OrtSessionLike; readonly feeds: Record<string, OrtTensorLike> }
  | { readonly ok: false; readonly fault: string };

/**
 * Loads `job`'s model into a session of `ort` and runs its input once; the session is returned
 * (for the caller to time and release) only when every output has kapri's bits, else it is released
 * and the mismatch returned.
 */
export const openCheckedSession = async (
  ort: OrtApi,
  job: Omit<OrtJob, 'measure'>,
  sessionOptions: Record<string, unknown>,
): Promise<CheckedSession> => {
  const session = await ort.InferenceSession.create(job.bytes, sessionOptions);
  const feeds = {
    [job.input.name]: new ort.Tensor(
      job.input.data instanceof Float32Array ? 'float32' : 'int8',
      job.input.data,
      job.input.dims,
    ),
  };
  try {
    const first = await session.run(feeds);
    const faults: string[] = [];
    for (const name of Object.keys(job.expected)) {
      const fault = bitMismatch(name, job.expected[name]!, first[name]?.data);
      if (fault !== null) faults.push(fault);
    }
    if (faults.length === 0) return { ok: true, session, feeds };
    await session.release();
    return { ok: false, fault: faults.join('; ') };
  } catch (e) {
    await session.release();
    throw e;
  }
};

/** Runs one job on `ort` with `sessionOptions` (see the file comment). */
export const benchOrtJob = async (
  ort: OrtApi,
  job: OrtJob,
  sessionOptions: Record<string, unknown>,
): Promise<OrtJobResult> => {
  const checked = await openCheckedSession(ort, job, sessionOptions);
  if (!checked.ok) return { label: job.label, ok: false, fault: checked.fault };
  try {
    const msMedian = await measureMs(() => checked.session.run(checked.feeds), job.measure);
    return { label: job.label, ok: true, msMedian };
  } finally {
    await checked.session.release();
  }
};
