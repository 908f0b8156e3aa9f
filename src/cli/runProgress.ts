/**
 * How far a whole run is: which seed stages have finished, the time elapsed, and an estimate of the
 * rest. A stage seen on any seed is estimated by its mean duration so far, and the remaining work is
 * shared by the run's jobs; a stage never timed yet has no estimate, so the rest is then a lower bound.
 */
export interface RunPlan {
  /** The run's seeds; the first one runs the extra stages. */
  readonly seeds: readonly number[];
  /** Seeds trained at once. */
  readonly jobs: number;
  readonly stages: { readonly first: readonly string[]; readonly later: readonly string[] };
}

export interface RunStatus {
  readonly stagesDone: number;
  readonly stagesTotal: number;
  readonly elapsedS: number;
  /** Seconds left by the stages timed so far, or null before any stage still to run has finished once. */
  readonly remainingS: number | null;
  /** True when some stage still to run has never finished: `remainingS` is then a lower bound. */
  readonly atLeast: boolean;
}

export interface RunProgress {
  /** Records that `stage` of `seed` finished after `seconds`. */
  record(seed: number, stage: string, seconds: number): void;
  status(): RunStatus;
}

/** A tracker for one run; `now` is in milliseconds (injectable for tests). */
export const createRunProgress = (plan: RunPlan, now: () => number = () => performance.now()): RunProgress => {
  const started = now();
  const done = new Map<number, Set<string>>(plan.seeds.map((s) => [s, new Set<string>()]));
  const durations = new Map<string, number[]>();
  const stagesOf = (seed: number) => (seed === plan.seeds[0] ? plan.stages.first : plan.stages.later);
  const stagesTotal = plan.seeds.reduce((n, s) => n + stagesOf(s).length, 0);
  return {
    record(seed, stage, seconds) {
      done.get(seed)?.add(stage);
      durations.set(stage, [...(durations.get(stage) ?? []), seconds]);
    },
    status() {
      let remaining = 0;
      let timed = 0;
      let untimed = 0;
      let stagesDone = 0;
      for (const seed of plan.seeds) {
        for (const stage of stagesOf(seed)) {
          if (done.get(seed)!.has(stage)) {
            stagesDone++;
            continue;
          }
          const seen = durations.get(stage);
          if (seen) {
            remaining += seen.reduce((a, b) => a + b, 0) / seen.length;
            timed++;
          } else untimed++;
        }
      }
      return {
        stagesDone,
        stagesTotal,
        elapsedS: (now() - started) / 1000,
        remainingS: timed === 0 && untimed > 0 ? null : remaining / Math.max(1, plan.jobs),
        atLeast: untimed > 0,
      };
    },
  };
};

/** `42 s`, `3 min 05 s`, `1 h 02 min`. */
export const formatDuration = (seconds: number): string => {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
  return `${Math.floor(s / 3600)} h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')} min`;
};

/**
 * `stage 5 of 19, 2 min 10 s elapsed, about 6 min 02 s left`; `at least …` while a stage still to run
 * has no timing yet; `estimating the rest` before anything still to run has one.
 */
export const formatRunStatus = (r: RunStatus): string => {
  const left =
    r.remainingS === null
      ? 'estimating the rest'
      : `${r.atLeast ? 'at least' : 'about'} ${formatDuration(r.remainingS)} left`;
  return `stage ${r.stagesDone} of ${r.stagesTotal}, ${formatDuration(r.elapsedS)} elapsed, ${left}`;
};
