/**
 * What a saved prior belongs to: the student architecture (its name, input modality and per-sample
 * shape, width, outputs) and the task its outputs were trained for (classes, or the label shape and
 * the label transform). A run writes it into the prior's metadata (`meta.student`, JSON); `kapri
 * target` reads it back to rebuild the student and its task, and refuses a target dataset or a
 * student file that does not fit, naming the file and the field.
 */
import * as E from 'fp-ts/lib/Either.js';
import { fail, type KapriError } from '../core/errors.js';
import type { Labels, Target } from '../data/dataset.js';
import type { Prior } from '../priors/prior.js';
import type { ScenarioData } from '../scenarios/scenario.js';
import type { Arch } from './models.js';
import { classTask, keypointTask, regressionTask, type TaskSpec } from './taskSpec.js';

export interface StudentRecord {
  /** The model name (the prior's `model`). */
  readonly model: string;
  /** The weak modality's name and per-sample shape ([H, W, C] or [L, C]). */
  readonly modality: string;
  readonly inputShape: readonly number[];
  readonly width: number;
  /** Encoder stages; records written before depth was configurable have none and mean 2. */
  readonly depth?: number;
  readonly outputs: number;
  /** `keypoints` is hands' regression, scored as 3D keypoints in mm. */
  readonly task: 'classification' | 'regression' | 'keypoints';
  readonly classes?: number;
  readonly labelShape?: readonly number[];
  /** The model predicts `label × labelScale` (regression). */
  readonly labelScale?: number;
  /** The scenario or dataset the prior was learned on. */
  readonly learnedOn: string;
}

/** The record of the student a run trains on `data` with encoder size `arch`. */
export const studentRecordOf = (data: ScenarioData, arch: Arch, outputs: number): StudentRecord => {
  const l = data.source.train.label!;
  const common = {
    model: 'student',
    modality: data.modalities.weak,
    inputShape: [...data.source.train.weak.shape],
    width: arch.width,
    depth: arch.depth,
    outputs,
    learnedOn: data.name,
  };
  if (l.kind === 'classes') return { ...common, task: 'classification', classes: l.classes };
  return data.labelTransform
    ? { ...common, task: 'regression', labelShape: [...l.shape], labelScale: data.labelTransform.scale }
    : { ...common, task: 'keypoints', labelShape: [...l.shape] };
};

/** `prior` with the record of its student in its metadata. */
export const withStudentRecord = (prior: Prior, r: StudentRecord): Prior => ({
  ...prior,
  meta: { ...prior.meta, student: JSON.stringify(r) },
});

const isCount = (x: unknown): x is number => typeof x === 'number' && Number.isInteger(x) && x > 0;
const isShape = (x: unknown): x is number[] => Array.isArray(x) && x.length > 0 && x.every(isCount);
const shapeText = (s: readonly number[]): string => `[${s.join(', ')}]`;

/**
 * The student record in a decoded prior's metadata, or why the prior cannot train a student (`file`
 * names it in the error): a prior saved without one, or a record that does not parse.
 */
export const decodeStudentRecord = (prior: Prior, file: string): E.Either<KapriError, StudentRecord> => {
  const raw = prior.meta['student'];
  const bad = (what: string) =>
    fail<StudentRecord>('InvalidConfig', `prior ${file}: ${what}`, { file, field: 'meta.student' });
  if (typeof raw !== 'string')
    return bad("records no student architecture (meta.student): it was not saved by 'kapri run'");
  let r: Record<string, unknown>;
  try {
    r = JSON.parse(raw) as Record<string, unknown>;
  } catch {
    return bad('its student record (meta.student) is not valid JSON');
  }
  const ok =
    typeof r === 'object' &&
    r !== null &&
    typeof r['model'] === 'string' &&
    r['model'] === prior.model &&
    typeof r['modality'] === 'string' &&
    isShape(r['inputShape']) &&
    isCount(r['width']) &&
    (r['depth'] === undefined || (isCount(r['depth']) && r['depth'] <= 4)) &&
    isCount(r['outputs']) &&
    typeof r['learnedOn'] === 'string' &&
    (r['task'] === 'classification'
      ? isCount(r['classes'])
      : (r['task'] === 'regression' || r['task'] === 'keypoints') &&
        isShape(r['labelShape']) &&
        (r['task'] === 'keypoints' || (typeof r['labelScale'] === 'number' && r['labelScale'] > 0)));
  return ok ? E.right(r as unknown as StudentRecord) : bad('its student record (meta.student) is malformed');
};

const labelText = (l: Labels): string =>
  l.kind === 'classes' ? `${l.classes} classes` : `regression labels of shape ${shapeText(l.shape)}`;

/**
 * Checks that a target dataset fits the student of record `r` (from prior `priorFile`): the weak
 * modality's per-sample shape, the task and the classes or label shape. The error names both files
 * and the field.
 */
export const checkTargetFits = (
  r: StudentRecord,
  priorFile: string,
  target: Target,
  dataFile: string,
): E.Either<KapriError, void> => {
  const bad = (field: string, what: string) =>
    fail<void>('InvalidShape', `${dataFile}: ${field} ${what}; the prior ${priorFile} was learned for ${describe(r)}`, {
      file: dataFile,
      field,
    });
  const w = target.weak.shape;
  if (shapeText(w) !== shapeText(r.inputShape))
    return bad('target.train.weak', `has samples of shape ${shapeText(w)}, not ${shapeText(r.inputShape)}`);
  const l = target.label!;
  if (r.task === 'classification') {
    if (l.kind !== 'classes' || l.classes !== r.classes)
      return bad('task/classes', `has ${labelText(l)}, not ${r.classes} classes`);
  } else if (l.kind !== 'regression' || shapeText(l.shape) !== shapeText(r.labelShape!))
    return bad('target.train.label', `has ${labelText(l)}, not regression labels of shape ${shapeText(r.labelShape!)}`);
  return E.right(undefined);
};

/** A record in words, for errors. */
export const describe = (r: StudentRecord): string =>
  `a '${r.model}' (width ${r.width}, depth ${archOf(r).depth}) on '${r.modality}' samples of shape ${shapeText(r.inputShape)}, ${
    r.task === 'classification' ? `${r.classes} classes` : `${r.task} labels of shape ${shapeText(r.labelShape!)}`
  }, learned on ${r.learnedOn}`;

/** The encoder size of a record (depth 2 when the record predates depth). */
export const archOf = (r: StudentRecord): Arch => ({ width: r.width, depth: r.depth ?? 2 });

/** The task the recorded student was trained for (its outputs mean the same on any target). */
export const taskOfRecord = (r: StudentRecord, temperature: number): TaskSpec =>
  r.task === 'classification'
    ? classTask(r.classes!, temperature)
    : r.task === 'regression'
      ? regressionTask(r.labelShape!, r.labelScale!)
      : keypointTask({ kind: 'regression', data: new Float32Array(0), shape: r.labelShape! });
