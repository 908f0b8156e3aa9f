/**
 * The error rule of src/core/errors.ts, checked over the code: nothing but a KapriError is thrown out
 * of src/, and every public function that judges outside input returns an Either.
 */
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const root = fileURLToPath(new URL('../..', import.meta.url));
const src = join(root, 'src');
const walk = (d: string): string[] =>
  readdirSync(d).flatMap((f) => {
    const p = join(d, f);
    return statSync(p).isDirectory() ? walk(p) : p.endsWith('.ts') ? [p] : [];
  });
const files = walk(src).map((f) => ({ file: relative(root, f), text: readFileSync(f, 'utf8') }));

/**
 * Error classes a parser throws inside one module and converts to a KapriError there. Each must be
 * caught by an `instanceof` check in src/ (checked below), so none can escape.
 */
const INTERNAL_ERRORS = ['PyLiteralError', 'Corrupt'];
/** A worker's source text: its Error becomes a wasm trap that the pool reports as a KapriError. */
const WORKER_SOURCE = 'src/kernels/poolWorkerSource.ts';

describe('the error rule', () => {
  it('throws nothing but KapriErrors from src/ (and the CLI’s UsageError inside the CLI)', () => {
    const foreign = files.flatMap(({ file, text }) =>
      [...text.matchAll(/throw new (\w+)/g)]
        .map((m) => m[1]!)
        .filter((cls) => cls !== 'KapriError' && !INTERNAL_ERRORS.includes(cls))
        .filter((cls) => !(cls === 'UsageError' && file.startsWith('src/cli/')))
        .filter(() => file !== WORKER_SOURCE)
        .map((cls) => `${file}: throw new ${cls}`),
    );
    expect(foreign).toEqual([]);
  });

  it('catches each internal parser error where it is thrown', () => {
    for (const cls of INTERNAL_ERRORS) {
      expect(
        files.some(({ text }) => text.includes(`instanceof ${cls}`)),
        cls,
      ).toBe(true);
    }
  });

  it('has every public decode*, validate* and check* function and the planners return an Either', () => {
    const entries = ['src/index.ts', 'src/runtime/index.ts', 'src/kernels/index.ts'].map((e) => join(root, e));
    const program = ts.createProgram(entries, {
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      target: ts.ScriptTarget.ES2022,
      strict: true,
      skipLibCheck: true,
    });
    const checker = program.getTypeChecker();
    const PLANNERS = ['planFrontier', 'allocate', 'bestPlan', 'builtinDevice'];
    const judged: string[] = [];
    const wrong: string[] = [];
    for (const entry of entries) {
      const mod = checker.getSymbolAtLocation(program.getSourceFile(entry)!)!;
      for (const exported of checker.getExportsOfModule(mod)) {
        const name = exported.getName();
        if (!/^(decode|validate|check)[A-Z]/.test(name) && !PLANNERS.includes(name)) continue;
        const type = checker.getTypeOfSymbolAtLocation(exported, program.getSourceFile(entry)!);
        for (const sig of type.getCallSignatures()) {
          const ret = checker.typeToString(checker.getReturnTypeOfSignature(sig));
          judged.push(name);
          if (!/^(E\.)?(Either|TaskEither|Left|Right)</.test(ret) && !/^(Left|Right)</.test(ret))
            wrong.push(`${name}: ${ret}`);
        }
      }
    }
    expect(judged).toEqual(expect.arrayContaining(['decodeConfig', 'decodeNpy', 'validateTarget', 'planFrontier']));
    expect(wrong).toEqual([]);
  });
});
