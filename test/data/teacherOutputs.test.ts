/**
 * A teacher from any framework in a manifest: `teacherOutputs` (and `teacherFeatures`) per source
 * sample stand for the superior modality; their rows must match the split and the task.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isKapriError } from '../../src/core/errors.js';
import { loadManifest } from '../../src/data/manifest.js';
import { encodeNpy } from '../../src/data/npy.js';

const dir = mkdtempSync(join(tmpdir(), 'kapri-teacher-outputs-'));
const write = (name: string, data: Float32Array | Int32Array, shape: number[]) =>
  writeFileSync(join(dir, name), encodeNpy(data, shape));
write(
  'w.npy',
  Float32Array.from({ length: 4 * 6 }, (_, i) => i),
  [4, 6],
);
write('y.npy', Int32Array.from([0, 2, 1, 0]), [4]);
write(
  'logits.npy',
  Float32Array.from({ length: 12 }, (_, i) => i / 10),
  [4, 3],
);
write(
  'feat.npy',
  Float32Array.from({ length: 8 }, (_, i) => -i),
  [4, 2],
);
write('logits3rows.npy', new Float32Array(9), [3, 3]);
write('logits4.npy', new Float32Array(16), [4, 4]);
write('s.npy', new Float32Array(4 * 2), [4, 2]);
const tsplit = { weak: 'w.npy', label: 'y.npy' };
const manifest = (source: Record<string, unknown>) => {
  const f = join(dir, `m${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(
    f,
    JSON.stringify({
      task: 'classification',
      classes: 3,
      source,
      target: { train: tsplit, val: tsplit, test: tsplit },
    }),
  );
  return f;
};
const given = { weak: 'w.npy', label: 'y.npy', teacherOutputs: 'logits.npy' };
const all = (s: Record<string, unknown>) => ({ train: s, val: s, test: s });

describe("a manifest with the teacher's outputs", () => {
  it('loads them as the superior rows and says how many outputs they hold', async () => {
    const d = await loadManifest(manifest(all(given)));
    expect(d.givenTeacher).toEqual({ outputs: 3, features: 0 });
    expect(d.source.train.superior.shape).toEqual([3]);
    expect(Array.from(d.source.test.superior.data)).toEqual(Array.from({ length: 12 }, (_, i) => Math.fround(i / 10)));
  });

  it('puts each sample’s features after its outputs', async () => {
    const d = await loadManifest(manifest(all({ ...given, teacherFeatures: 'feat.npy' })));
    expect(d.givenTeacher).toEqual({ outputs: 3, features: 2 });
    const row1 = Array.from(d.source.val.superior.data.subarray(5, 10));
    expect(row1).toEqual([0.3, 0.4, 0.5, -2, -3].map(Math.fround));
  });

  it('does not read a superior modality named beside them, and says so', async () => {
    const d = await loadManifest(manifest(all({ ...given, superior: 'missing.npy' })));
    expect(d.notes).toContain(
      "source.train.superior is not read: the teacher's outputs (teacherOutputs) stand for the teacher",
    );
  });

  it('refuses a row count that differs from the split, naming the file and the field', async () => {
    const e = await loadManifest(
      manifest({ ...all(given), val: { ...given, teacherOutputs: 'logits3rows.npy' } }),
    ).catch((x) => x);
    expect(isKapriError(e, 'InvalidShape')).toBe(true);
    expect((e as Error).message).toMatch(
      /source\.val\.teacherOutputs \(.*logits3rows\.npy\) has 3 rows, but the split has 4 samples/,
    );
  });

  it('refuses logits that are not one per class', async () => {
    const e = await loadManifest(manifest(all({ ...given, teacherOutputs: 'logits4.npy' }))).catch((x) => x);
    expect(isKapriError(e, 'InvalidShape')).toBe(true);
    expect((e as Error).message).toMatch(/gives 4 values per sample, but the task has 3 classes/);
  });

  it('refuses outputs given on some source splits only', async () => {
    const e = await loadManifest(manifest({ train: given, val: { ...tsplit, superior: 's.npy' }, test: given })).catch(
      (x) => x,
    );
    expect(isKapriError(e, 'InvalidConfig')).toBe(true);
    expect((e as Error).message).toMatch(
      /source\.val\.teacherOutputs is missing but source\.train\.teacherOutputs is given/,
    );
  });

  it('refuses features without outputs', async () => {
    const e = await loadManifest(manifest(all({ ...tsplit, superior: 's.npy', teacherFeatures: 'feat.npy' }))).catch(
      (x) => x,
    );
    expect((e as Error).message).toMatch(/teacherFeatures is given without teacherOutputs/);
  });
});
