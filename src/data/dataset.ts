/**
 * Datasets are plain typed arrays, sample-major and C-ordered, with the per-sample shape alongside.
 * Images are [H, W, C] (NHWC without the batch axis, as tfjs and the kernels use); signals are [L, C].
 * A `PairedSource` has the weak and the superior modality of the same samples; a `Target` has only the
 * weak one: `superior?: never` makes putting a superior modality on a target a type error.
 */
export interface Modality {
  readonly data: Float32Array;
  /** Per-sample shape. */
  readonly shape: readonly number[];
}

export type Labels =
  | { readonly kind: 'regression'; readonly data: Float32Array; readonly shape: readonly number[] }
  | { readonly kind: 'classes'; readonly data: Int32Array; readonly classes: number };

export interface PairedSource {
  readonly n: number;
  readonly weak: Modality;
  readonly superior: Modality;
  /** Absent for unlabelled pairs (the ensemble learns from the teacher alone). */
  readonly label?: Labels;
}

export interface Target {
  readonly n: number;
  readonly weak: Modality;
  readonly label?: Labels;
  readonly superior?: never;
}

/** Elements per sample of a shape. */
export const sampleSize = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);

/** Per-sample label size (1 for class ids). */
export const labelSize = (l: Labels): number => (l.kind === 'classes' ? 1 : sampleSize(l.shape));

const pickRows = <T extends Float32Array | Int32Array>(src: T, rowSize: number, idx: ArrayLike<number>): T => {
  const out = new (src.constructor as { new (n: number): T })(idx.length * rowSize);
  for (let i = 0; i < idx.length; i++) out.set(src.subarray(idx[i]! * rowSize, (idx[i]! + 1) * rowSize), i * rowSize);
  return out;
};

export const pickModality = (m: Modality, idx: ArrayLike<number>): Modality => ({
  data: pickRows(m.data, sampleSize(m.shape), idx),
  shape: m.shape,
});

export const pickLabels = (l: Labels, idx: ArrayLike<number>): Labels =>
  l.kind === 'classes'
    ? { kind: 'classes', data: pickRows(l.data, 1, idx), classes: l.classes }
    : { kind: 'regression', data: pickRows(l.data, sampleSize(l.shape), idx), shape: l.shape };

/** The samples `idx` of a paired source. */
export const subsetSource = (d: PairedSource, idx: ArrayLike<number>): PairedSource => ({
  n: idx.length,
  weak: pickModality(d.weak, idx),
  superior: pickModality(d.superior, idx),
  ...(d.label ? { label: pickLabels(d.label, idx) } : {}),
});

/** The samples `idx` of a target. */
export const subsetTarget = (d: Target, idx: ArrayLike<number>): Target => ({
  n: idx.length,
  weak: pickModality(d.weak, idx),
  ...(d.label ? { label: pickLabels(d.label, idx) } : {}),
});
