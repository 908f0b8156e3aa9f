/**
 * The files a run writes beside its report, and their record in report.json (`artifacts`, docs/contracts.md):
 * `model.kapri` (the plan chosen for the first device, which `--device` sets), one `model-NAME.kapri`
 * per planned device, the learned prior and the float teacher and student. Each is recorded with
 * its bytes and SHA-256, so the report says exactly which files it describes.
 */
import { kapriError } from '../core/errors.js';
import { fingerprint, type FileFingerprint } from '../core/sha256.js';
import { planBytes, type DeployResult } from './deployStage.js';

export const MODEL_FILE = 'model.kapri';
export const PRIOR_FILE = 'prior.kprior';
export const TEACHER_FILE = 'teacher.kparams';
export const STUDENT_FILE = 'student.kparams';

/** report.json `artifacts`. */
export interface Artifacts {
  readonly model: FileFingerprint;
  readonly prior?: FileFingerprint;
  readonly teacher?: FileFingerprint;
  readonly student?: FileFingerprint;
  /** By device name: the file of the plan chosen for it. */
  readonly devices: Readonly<Record<string, FileFingerprint>>;
}

/**
 * The file of a device's plan: `model-NAME.kapri`, with anything but letters, digits, `.`, `_` and
 * `-` in the name replaced by `_` (a device profile's name is free text).
 *
 * @example
 * deviceFileName('phone-mid') // → 'model-phone-mid.kapri'
 */
export const deviceFileName = (device: string): string => `model-${device.replace(/[^A-Za-z0-9._-]/g, '_')}.kapri`;

/** The names a run's output folder may hold: a new run replaces them (src/cli/outputSet.ts). */
export const OUTPUT_PATTERNS = [
  MODEL_FILE,
  PRIOR_FILE,
  TEACHER_FILE,
  STUDENT_FILE,
  'model-*.kapri',
  'report.json',
  'report.html',
] as const;

/** What a run produces besides its report: the deployment and, for a full run, the saved source models. */
export interface ArtifactInputs {
  readonly deploy: DeployResult;
  /** The saved source models; no teacher when it was given as outputs (nothing was trained). */
  readonly saved?: { readonly prior: Uint8Array; readonly teacher?: Uint8Array; readonly student: Uint8Array };
}

/** The artifact files by name, in writing order: the model, each device's, then the saved models. */
export const artifactFiles = (i: ArtifactInputs): [string, Uint8Array][] => {
  const devices = new Map<string, string>();
  for (const e of i.deploy.deployment) {
    const file = deviceFileName(e.device);
    const other = devices.get(file);
    if (other !== undefined && other !== e.device)
      throw kapriError(
        'InvalidConfig',
        `the devices '${other}' and '${e.device}' would both be written to ${file}; give them names that differ in letters or digits`,
      );
    devices.set(file, e.device);
  }
  return [
    [MODEL_FILE, planBytes(i.deploy)],
    ...[...devices].map(([file, device]): [string, Uint8Array] => [file, planBytes(i.deploy, device)]),
    ...(i.saved
      ? ([
          [PRIOR_FILE, i.saved.prior],
          ...(i.saved.teacher ? [[TEACHER_FILE, i.saved.teacher]] : []),
          [STUDENT_FILE, i.saved.student],
        ] as [string, Uint8Array][])
      : []),
  ];
};

/** report.json `artifacts` of the files `artifactFiles` gives. */
export const artifactsOf = async (i: ArtifactInputs, files: readonly [string, Uint8Array][]): Promise<Artifacts> => {
  const byName = new Map(await Promise.all(files.map(async ([n, b]) => [n, await fingerprint(n, b)] as const)));
  const devices = Object.fromEntries(i.deploy.deployment.map((e) => [e.device, byName.get(deviceFileName(e.device))!]));
  return {
    model: byName.get(MODEL_FILE)!,
    ...(i.saved
      ? {
          prior: byName.get(PRIOR_FILE)!,
          ...(i.saved.teacher ? { teacher: byName.get(TEACHER_FILE)! } : {}),
          student: byName.get(STUDENT_FILE)!,
        }
      : {}),
    devices,
  };
};
