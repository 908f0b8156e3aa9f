/**
 * The models of the end-to-end section (bench/modelsEndToEnd.ts): the hands student and the
 * MobileNet-style model, one image a call. Built in Node: the hands student is exported from a tfjs
 * model, so the browser bench builds them here too and hands the page their QModel bytes
 * ({@link encodeBenchModel}), and the page runs the very models the Node bench runs.
 */
import { loadKernels } from '../src/kernels/loader.js';
import { encodeQModel } from '../src/runtime/qmodelFile.js';
import { handsStudentQModel } from './handsStudentQModel.js';
import { mobilenetQModel } from './mobilenetQModel.js';
import type { BenchModel } from './modelsEndToEnd.js';

/** The models of the section: the hands student and the MobileNet-style model, one image a call. */
export const benchModels = async (): Promise<BenchModel[]> => [
  { name: 'hands student', model: await handsStudentQModel(), batch: 1 },
  { name: 'mobilenet-style', model: mobilenetQModel(await loadKernels({ build: 'simd' })), batch: 1 },
];

/** A bench model's QModel file bytes (what `decodeQModel` reads back to the same model). */
export const encodeBenchModel = (m: BenchModel): Uint8Array => encodeQModel(m.model.header, m.model.sections);
