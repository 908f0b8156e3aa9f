/**
 * kapri: resource-aware cross-modal knowledge distillation for the edge.
 *
 * The public surface of the main entry point, chosen name by name: what a user needs to train a
 * student from a paired source, learn a prior, train a teacherless target, compress and plan it for a
 * device, and load the result. Two more entry points serve the edge: `kapri/runtime` (a QModel and
 * the kernels, no tfjs) and `kapri/kernels` (the kernel API for benchmarking and embedding).
 * Everything else is internal; `etc/*.api.md` records the surface, and `npm test` fails when it
 * changes without the report being updated (`npm run api:update`), so a change is seen in review.
 */

// Errors, determinism, progress, versions.
export {
  KapriError,
  type KapriErrorTag,
  isKapriError,
  unwrap,
  runOrThrow,
} from './core/errors.js';
export { type Rng, createRng } from './core/rng.js';
export type { Shape } from './core/shape.js';
export { type ProgressEvent, type ProgressSink, silentProgress } from './core/progress.js';
export { KAPRI_VERSION } from './core/version.js';
// Paired evaluation over seeds (docs/methods.md §6).
export {
  type Comparison,
  type WilcoxonResult,
  pairedComparison,
  holm,
  wilcoxonSignedRank,
} from './core/pairedStats.js';

// Training backend.
export { initTraining, type InitTrainingOptions, type TrainingBackend } from './backend/initTraining.js';

// Data: the paired source, the teacherless target, files and splits.
export {
  type Modality,
  type Labels,
  type PairedSource,
  type Target,
  subsetSource,
  subsetTarget,
} from './data/dataset.js';
export { validateSource, validateTarget } from './data/validate.js';
export { splitIndices, labelledSubset, batchStream } from './data/splits.js';
export { previewPng } from './data/preview.js';
export {
  decodeNpy,
  encodeNpy,
  decodeNpyHeader,
  type NpyDtype,
  type NpyArray,
  type NpyHeader,
  type DecodeOptions,
} from './data/npy.js';
export { npyRows, type NpyChunk } from './data/npyStream.js';
export {
  loadManifest,
  loadTargetManifest,
  MAX_CLASSES,
  type GivenTeacher,
  type LoadedData,
  type LoadedTarget,
  type ManifestOptions,
} from './data/manifest.js';
export type { FileFingerprint } from './core/sha256.js';

// Embedded scenarios.
export {
  generateScenario,
  raisedSplits,
  registerScenario,
  scenarioNames,
  type ScenarioDefinition,
  type ScenarioSizes,
  type ScenarioData,
  generateHands,
  generatePhysio,
  generateActions,
  generateCardio,
  generateGauss,
} from './scenarios/index.js';

// Networks.
export {
  type Model,
  type ModelOutput,
  type ModelSnapshot,
  createModel,
  copyWeights,
  snapshotModel,
} from './nn/model.js';
export { type Network, createNetwork } from './nn/network.js';
export { imageEncoderSpec, temporalEncoderSpec, headSpec } from './nn/architectures.js';
export type {
  Activation,
  Padding,
  LayerSpec,
  NetworkSpec,
  Conv2dSpec,
  Conv1dSpec,
  DepthwiseSpec,
  DenseSpec,
  PoolSpec,
  GlobalAvgPoolSpec,
  FlattenSpec,
  ResidualSpec,
} from './nn/layerSpec.js';
export { type ParamTree, flattenParams, countParams, disposeParams } from './nn/paramTree.js';
export { encodeParams, decodeParamsInto } from './nn/paramsFile.js';

// Training and metrics.
export {
  trainLoop,
  type TrainConfig,
  type TrainResult,
  type TrainOptions,
  type CurvePoint,
} from './train/trainLoop.js';
export type { OptimizerConfig } from './train/optimizer.js';
export type { Schedule } from './train/schedule.js';
export * from './train/metrics/index.js';

// Cross-modal distillation.
export * from './distill/index.js';

// Knowledge as priors.
export {
  type Prior,
  type PriorFamily,
  type PriorForm,
  type PriorTerm,
  priorPenalty,
  atStrength,
} from './priors/prior.js';
export { l2spPrior } from './priors/l2sp.js';
export { fisherPrior, type FisherOptions } from './priors/fisher.js';
export { createKapState, kapToPrior, type KapOptions, type KapState } from './priors/kapPrior.js';
export {
  metaLearnPrior,
  type MetaLearnOptions,
  type MetaLearnResult,
  type MetaLearnStats,
} from './priors/metaLearn.js';
export { encodePrior, decodePrior, PRIOR_ARTIFACT_VERSION } from './priors/priorArtifact.js';
export { trainTarget, type TargetTrainingOptions } from './priors/targetTraining.js';
// A new prior family: one definition, one registerPrior call; it then runs as a target method.
export { registerPrior, priorNames } from './priors/registry.js';
export type {
  PriorFamilyDefinition,
  PriorLearningContext,
  PriorLearningConfig,
  KapLearningConfig,
  LearnedPrior,
} from './priors/priorFamily.js';

// Compression.
export { calibrate, type CalibrationMethod } from './compress/calibration.js';
export {
  quantizeWeights,
  dequantizeWeights,
  quantizationError,
  type WeightBits,
  type QuantizedWeights,
} from './compress/weightQuant.js';
export { foldBatchNorm, type FoldInput } from './compress/foldBatchNorm.js';
export { magnitudeMask, channelKeep } from './compress/pruning.js';
export { pruneChannels, type PrunedLayer } from './compress/channelPrune.js';
export { sensitivity, chooseMixedPrecision, type LayerSensitivityInput } from './compress/sensitivity.js';
export { exportQModel, type ExportOptions } from './compress/exportQModel.js';
export { quantizeOnnx, type CalibrationSamples, type QuantizeOnnxOptions } from './compress/quantizeOnnx.js';
export { fitLinearAlignment, alignmentFromProjection, type LinearAlignmentFit } from './compress/alignmentFit.js';

// Devices, cost and budgets.
export * from './resource/index.js';

// The edge runtime (also `kapri/runtime`, without tfjs).
export {
  loadModel,
  type LoadModelOptions,
  createExecutor,
  executorFromBytes,
  decodeQModel,
  encodeQModel,
  type Executor,
  type QModel,
  type QModelHeader,
  type QOp,
  type QTensor,
  type TensorQuant,
  type ModelCost,
  type ModelLimits,
} from './runtime/index.js';

// ONNX in and out (not in `kapri/runtime`: an edge deployment needs no protobuf).
export * from './onnx/index.js';

// The whole pipeline.
export { type Config, decodeConfig } from './pipeline/config.js';
export { PRESETS } from './pipeline/presets.js';
export {
  runPipeline,
  runPipelineOrThrow,
  type PipelineOptions,
  type PipelineOutput,
} from './pipeline/runPipeline.js';
// A user's dataset in place of a scenario, and the teacherless target from a saved prior.
export { loadDataset, type Dataset } from './pipeline/userDataset.js';
export {
  runTarget,
  type TargetRunInput,
  type TargetRunOutput,
  type TargetReport,
  type NamedBytes,
} from './pipeline/runTarget.js';
export type { StudentRecord } from './pipeline/studentRecord.js';
export type { Artifacts } from './pipeline/artifacts.js';
export type { Report, MethodSummary, DeploymentEntry, RunTimings } from './pipeline/report.js';
export type { PeakMemoryReport } from './pipeline/jobMemory.js';
export type { MultiModalReport, MeasuredPlan } from './pipeline/multiModalStage.js';
export type { GammaPoint } from './pipeline/gammaSweep.js';
