/**
 * `cardio`: 10 s windows at 64 Hz of ECG (the superior modality) and wrist PPG (the weak one),
 * atrial fibrillation (1) versus sinus rhythm (0). Sinus beats come at nearly regular RR intervals
 * with a P wave before each QRS; in AF the RR intervals are irregular (independent draws), P waves are
 * absent and fibrillatory f-waves (4–8 Hz) ripple the baseline. The PPG pulse follows each beat after
 * a pulse transit time, its amplitude growing with the preceding RR (so AF pulses vary in timing and
 * size), under baseline wander and motion noise. Patients are the domains (heart rate, morphology,
 * transit time, noise); source and target patients differ. Signals are [640, 1].
 */
import { createRng, type Rng } from '../../core/rng.js';
import type { PairedSource, Target } from '../../data/dataset.js';
import type { ScenarioData } from '../scenario.js';
import { assembleSplits, resolveSizes, type ScenarioOptions } from '../splitSizes.js';

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
  p: rng.range(0.08, 0.18),
  t: rng.range(0.2, 0.4),
  ptt: rng.range(0.18, 0.3),
  ppgAmp: rng.range(0.7, 1.3),
  noise: rng.range(0.02, 0.06),
  motion,
});

const bump = (t: number, centre: number, width: number): number => Math.exp(-0.5 * ((t - centre) / width) ** 2);

/** Beat times (s) over the window: regular with small variability, or irregular for AF. */
const beats = (p: Patient, af: boolean, rng: Rng): number[] => {
  const out: number[] = [];
  const meanRr = 60 / (af ? p.hr * rng.range(1.1, 1.4) : p.hr);
  let t = -rng.range(0, meanRr);
  while (t < 11) {
    out.push(t);
    t += af ? Math.max(0.3, meanRr * rng.range(0.55, 1.45)) : meanRr * (1 + 0.03 * rng.normal());
  }
  return out;
};

const trial = (
  p: Patient,
  af: boolean,
  rng: Rng,
  ecg: Float32Array,
  ppg: Float32Array,
  o: number,
  withEcg: boolean,
): void => {
  const bs = beats(p, af, rng);
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
    if (withEcg) ecg[o + i] = e + (af ? 0.05 * Math.sin(2 * Math.PI * fw * t + fph) : 0) + p.noise * rng.normal();
    ppg[o + i] = q + wander * Math.sin(2 * Math.PI * 0.2 * t + wph) + (p.noise + p.motion) * rng.normal();
  }
};

export type CardioOptions = ScenarioOptions;

export const generateCardio = (o: CardioOptions): ScenarioData => {
  const sizes = resolveSizes('cardio', o, {
    sourceTrain: 1500,
    sourceVal: 200,
    sourceTest: 400,
    targetTrain: 400,
    targetVal: 150,
    targetTest: 400,
  });
  const root = createRng(o.seed);
  const pr = root.fork('patients');
  const src = Array.from({ length: 20 }, () => patient(pr, 0.05));
  // Target patients wear the sensor in daily life: more motion noise.
  const tgt = Array.from({ length: 8 }, () => patient(pr, 0.15));
  const make = (n: number, pats: Patient[], rng: Rng, withEcg: boolean) => {
    const ecg = new Float32Array(withEcg ? n * CARDIO_LENGTH : 0);
    const ppg = new Float32Array(n * CARDIO_LENGTH);
    const label = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      const af = rng.uniform() < 0.5;
      label[i] = af ? 1 : 0;
      trial(pats[i % pats.length]!, af, rng, ecg, ppg, i * CARDIO_LENGTH, withEcg);
    }
    return { ecg, ppg, label };
  };
  const source = (n: number, rng: Rng): PairedSource => {
    const d = make(n, src, rng, true);
    return {
      n,
      weak: { data: d.ppg, shape: [CARDIO_LENGTH, 1] },
      superior: { data: d.ecg, shape: [CARDIO_LENGTH, 1] },
      label: { kind: 'classes', data: d.label, classes: 2 },
    };
  };
  const target = (n: number, rng: Rng): Target => {
    const d = make(n, tgt, rng, false);
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
    notes: ['cardio: 20 source and 8 target patients; target patients have more motion noise'],
  };
};
