/** ONNX in and out of kapri: a QModel as a standard int8 ONNX graph, and back. */
export { exportOnnx, KAPRI_META_KEY } from './exportOnnx.js';
export { importOnnx } from './importOnnx.js';
export { isFloatOnnx } from './floatModel.js';
