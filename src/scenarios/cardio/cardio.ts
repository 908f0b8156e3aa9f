/**
 * `cardio`: 10 s windows at 64 Hz of ECG (the superior modality) and wrist PPG (the weak one),
 * atrial fibrillation (1) versus sinus rhythm (0) — the setting of PPG-based AF screening taught by
 * ECG (e.g. smartwatch AF detection validated against an ECG reference).
 *
 * The premise it reproduces: the ECG carries evidence the PPG lacks, so the ECG teacher beats the PPG
 * student, and part of what it knows (beat timing) is modality-general and can be taught.
 * - Sinus beats come at nearly regular RR intervals with a P wave before each QRS. Sinus windows also
 *   hold up to `ectopy` premature atrial beats: an early beat (the rhythm resets from it) with its P
 *   wave, so the ECG still says "sinus" while the pulse sequence turns briefly irregular.
 * - In AF the RR intervals are irregular throughout, P waves are absent and fibrillatory f-waves
 *   (4–8 Hz) ripple the ECG baseline.
 * - The PPG pulse follows each beat after a pulse transit time, its amplitude growing with the
 *   preceding RR (so an early beat gives a small pulse, as in AF), under baseline wander, sensor noise
 *   and up to `artifacts` motion-artifact bursts (0.5–2 s of large noise) that hide the pulses they
 *   cover. Timing is the modality-general evidence; P waves and f-waves are the ECG's own.
 * - Patients are the domains (heart rate, morphology, transit time, noise). Target patients differ
 *   from the source ones and wear the sensor in daily life: more motion noise and up to
 *   `targetArtifacts` bursts per window (the stated source → target shift).
 * - `shift` (src/scenarios/targetShift.ts) scales that shift: the target patients' motion noise is
 *   `0.05·(1 − shift) + 0.15·shift` and their bursts per window at most `artifacts·(1 − shift) +
 *   targetArtifacts·shift` rounded to the nearest integer (a count: `rng.int` draws 0 to it), both at
 *   least 0. At 0 the target's windows are drawn as the source's (other patients of the same
 *   distribution); at 1 (the default) the stated target.
 * Signals are [640, 1].
 */
import { createRng, type Rng } from '../../core/rng.js';
import type { PairedSource, Target } from '../../data/dataset.js';
import type { ScenarioData } from '../scenario.js';
import { assembleSplits, resolveSizes, type ScenarioOptions } from '../splitSizes.js';
import { resolveShift, type ShiftOption, shifted } from '../targetShift.js';

export const CARDIO_FS = 64;
export const CARDIO_LENGTH = 640;

interface Patient {
  readonly hr: number;
  readonly qrs: number;
  readonly p: number;
  readonly t: number;
  readonly ptt: number;
  readonly ppgAmp: number;
  readonly noise: number;
  readonly motion: number;
}

const patient = (rng: Rng, motion: number): Patient => ({
  hr: rng.range(60, 95),
  qrs: rng.range(0.8, 1.4),
  p: rng.range(0.15, 0.3),
  t: rng.range(0.2, 0.4),
  ptt: rng.range(0.18, 0.3),
  ppgAmp: rng.range(0.7, 1.3),
  noise: rng.range(0.02, 0.06),
  motion,
});

const bump = (t: number, centre: number, width: number): number => Math.exp(-0.5 * ((t - centre) / width) ** 2);

/**
 * Beat times (s) over the window: irregular throughout for AF; otherwise regular with small
 * variability and up to `ectopy` premature beats (early by 25–45 % of an RR, the rhythm resetting from
 * them).
 */
const beats = (p: Patient, af: boolean, ectopy: number, rng: Rng): number[] => {
  const out: number[] = [];
  const meanRr = 60 / (af ? p.hr * rng.range(1.1, 1.4) : p.hr);
  let t = -rng.range(0, meanRr);
  const early = new Set(af ? [] : Array.from({ length: rng.int(ectopy + 1) }, () => 1 + rng.int(12)));
  for (let k = 0; t < 11; k++) {
    out.push(t);
    const rr = af ? Math.max(0.3, meanRr * rng.range(0.55, 1.45)) : meanRr * (1 + 0.03 * rng.normal());
    t += early.has(k + 1) ? rr * rng.range(0.55, 0.75) : rr;
  }
  return out;
};

/** Motion-artifact bursts on the PPG: up to `n` windows of 0.5–2 s of large noise, by time (s). */
const artifactBursts = (n: number, p: Patient, rng: Rng): { centre: number; width: number; amp: number }[] =>
  Array.from({ length: rng.int(n + 1) }, () => ({
    centre: rng.range(0, 10),
    width: rng.range(0.25, 1),
    amp: p.ppgAmp * rng.range(0.6, 1.5),
  }));

/** How hard the PPG is: premature beats in sinus windows and motion-artifact bursts, at most per window. */
interface Confounders {
  readonly ectopy: number;
  readonly artifacts: number;
}

const trial = (
  p: Patient,
  af: boolean,
  c: Confounders,
  rng: Rng,
  ecg: Float32Array,
  ppg: Float32Array,
  o: number,
  withEcg: boolean,
): void => {
  const bs = beats(p, af, c.ectopy, rng);
  const bursts = artifactBursts(c.artifacts, p, rng);
  const fw = rng.range(4, 8);
  const fph = rng.range(0, 2 * Math.PI);
  const wander = rng.range(0.1, 0.3);
  const wph = rng.range(0, 2 * Math.PI);
  for (let i = 0; i < CARDIO_LENGTH; i++) {
    const t = i / CARDIO_FS;
    let e = 0;
    let q = 0;
    for (let k = 0; k < bs.length; k++) {
      const b = bs[k]!;
      if (Math.abs(t - b) > 1.2) continue;
      if (withEcg) {
        if (!af) e += p.p * bump(t, b - 0.16, 0.025);
        e += p.qrs * bump(t, b, 0.012) - 0.15 * p.qrs * bump(t, b + 0.03, 0.015) + p.t * bump(t, b + 0.3, 0.05);
      }
      const prevRr = k > 0 ? b - bs[k - 1]! : 60 / p.hr;
      const amp = p.ppgAmp * Math.min(1.4, Math.max(0.3, prevRr / (60 / p.hr)));
      const d = t - b - p.ptt;
      if (d > 0) q += amp * (bump(d, 0.12, 0.06) + 0.35 * bump(d, 0.35, 0.07));
    }
    if (withEcg) ecg[o + i] = e + (af ? 0.1 * Math.sin(2 * Math.PI * fw * t + fph) : 0) + p.noise * rng.normal();
    const motion = bursts.reduce((a, b) => a + b.amp * bump(t, b.centre, b.width / 2), 0);
    ppg[o + i] = q + wander * Math.sin(2 * Math.PI * 0.2 * t + wph) + (p.noise + p.motion + motion) * rng.normal();
  }
};

export interface CardioOptions extends ScenarioOptions, ShiftOption {
  /** Premature atrial beats per sinus window, at most (default 3): pulse irregularity without AF. */
  readonly ectopy?: number;
  /** PPG motion-artifact bursts per source window, at most (default 2). */
  readonly artifacts?: number;
  /** The same on the target, whose patients move more (default 4; the bursts at `shift` 1). */
  readonly targetArtifacts?: number;
}

/** Motion noise of the source patients' PPG, and of the target's at `shift` 1 (they wear it in daily life). */
const MOTION = { source: 0.05, target: 0.15 };

/** Generates the scenario; the same seed gives the same bytes (`shift` 1, the default, is the stated target). */
export const generateCardio = (o: CardioOptions): ScenarioData => {
  const sizes = resolveSizes('cardio', o, {
    sourceTrain: 1500,
    sourceVal: 200,
    sourceTest: 400,
    targetTrain: 400,
    targetVal: 150,
    targetTest: 400,
  });
  const shift = resolveShift('cardio', o.shift);
  const root = createRng(o.seed);
  const pr = root.fork('patients');
  const src = Array.from({ length: 20 }, () => patient(pr, MOTION.source));
  // Target patients wear the sensor in daily life: more motion noise.
  const targetMotion = shifted(MOTION.source, MOTION.target, shift, [0, Infinity]);
  const tgt = Array.from({ length: 8 }, () => patient(pr, targetMotion));
  const ectopy = o.ectopy ?? 3;
  const artifacts = o.artifacts ?? 2;
  const conf = {
    source: { ectopy, artifacts },
    target: { ectopy, artifacts: Math.round(shifted(artifacts, o.targetArtifacts ?? 4, shift, [0, Infinity])) },
  };
  const make = (n: number, pats: Patient[], c: Confounders, rng: Rng, withEcg: boolean) => {
    const ecg = new Float32Array(withEcg ? n * CARDIO_LENGTH : 0);
    const ppg = new Float32Array(n * CARDIO_LENGTH);
    const label = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      const af = rng.uniform() < 0.5;
      label[i] = af ? 1 : 0;
      trial(pats[i % pats.length]!, af, c, rng, ecg, ppg, i * CARDIO_LENGTH, withEcg);
    }
    return { ecg, ppg, label };
  };
  const source = (n: number, rng: Rng): PairedSource => {
    const d = make(n, src, conf.source, rng, true);
    return {
      n,
      weak: { data: d.ppg, shape: [CARDIO_LENGTH, 1] },
      superior: { data: d.ecg, shape: [CARDIO_LENGTH, 1] },
      label: { kind: 'classes', data: d.label, classes: 2 },
    };
  };
  const target = (n: number, rng: Rng): Target => {
    const d = make(n, tgt, conf.target, rng, false);
    return {
      n,
      weak: { data: d.ppg, shape: [CARDIO_LENGTH, 1] },
      label: { kind: 'classes', data: d.label, classes: 2 },
    };
  };
  return {
    name: 'cardio',
    task: 'classification',
    metric: 'accuracy',
    higherIsBetter: true,
    ...assembleSplits(root, sizes, source, target),
    modalities: { weak: 'wrist PPG 640×1 (64 Hz)', superior: 'ECG 640×1 (64 Hz)' },
    notes: [
      `cardio: 20 source and 8 target patients; up to ${ectopy} premature beats per sinus window; up to ${conf.source.artifacts} PPG motion artifacts per source window and ${conf.target.artifacts} per target window, whose patients have motion noise ${Math.round(targetMotion * 1000) / 1000} (source ${MOTION.source}): the source → target shift ×${shift} (data.shift; 1 = the stated target, 0 = the source's distribution)`,
    ],
  };
};
