/**
 * Type-level guarantee: the target stage cannot be given a teacher or a superior modality. Each
 * snippet is compiled with the TypeScript compiler against the real sources; the ones that smuggle in
 * a teacher or a superior modality must fail to compile, and the honest call must compile.
 */
import { describe, expect, it } from 'vitest';
import ts from 'typescript';
import { fileURLToPath } from 'node:url';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const root = fileURLToPath(new URL('../..', import.meta.url));

const compile = (body: string): string[] => {
  // Inside the repo so that module resolution finds node_modules; removed afterwards.
  const dir = mkdtempSync(join(root, 'test/priors/.typecheck-'));
  try {
    return check(dir, body);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
};

const check = (dir: string, body: string): string[] => {
  const file = join(dir, 'snippet.ts');
  writeFileSync(
    file,
    `import * as tf from '@tensorflow/tfjs-core';
import { trainTarget } from '../../../src/priors/targetTraining.js';
import type { Model } from '../../../src/nn/model.js';
declare const student: Model;
declare const teacher: Model;
declare const x: tf.Tensor;
declare const y: tf.Tensor;
const taskLoss = (a: tf.Tensor2D, b: tf.Tensor) => tf.mean(tf.sub(a, b)) as tf.Scalar;
const config = { steps: 1, lr: 0.1, optimizer: { kind: 'adam' as const } };
${body}
`,
  );
  const program = ts.createProgram([file], {
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    target: ts.ScriptTarget.ES2022,
    types: [],
  });
  // Each error as its message plus the source text it points at, so a test can say where it is.
  return ts
    .getPreEmitDiagnostics(program)
    .filter((d) => d.file?.fileName === file)
    .map(
      (d) =>
        `${ts.flattenDiagnosticMessageText(d.messageText, '\n')} @ ${d.file!.text.slice(d.start ?? 0, (d.start ?? 0) + (d.length ?? 0))}`,
    );
};

describe('trainTarget types', () => {
  it('compiles a call with target data and a prior only', () => {
    expect(
      compile(
        `void trainTarget({ model: student, batches: () => ({ weak: x, label: y }), prior: null, taskLoss, config });`,
      ),
    ).toEqual([]);
  }, 60_000);

  it('does not compile a call that passes a teacher', () => {
    const errors = compile(
      `void trainTarget({ model: student, teacher, batches: () => ({ weak: x, label: y }), prior: null, taskLoss, config });`,
    );
    expect(errors.join('\n')).toMatch(/'teacher' does not exist.* @ teacher/);
  }, 60_000);

  it('does not compile target batches that carry a superior modality', () => {
    const errors = compile(
      `void trainTarget({ model: student, batches: () => ({ weak: x, label: y, superior: x }), prior: null, taskLoss, config });`,
    );
    expect(errors.join('\n')).toMatch(/not assignable to type 'undefined'.* @ superior/);
  }, 60_000);
});
