/// <reference types="@webgpu/types" preserve="true" />
/**
 * cnnc as a library in Node (`import … from 'cnnc'`). Every step of the pipeline is a function
 * from plain data to plain data; nothing here prints or exits (that is the CLI's job, src/cli,
 * which is not part of the library). The browser-safe subset is `cnnc/browser` (src/browser.ts);
 * this entry has all of it, plus reading sources from disk, writing compiled modules, data sets,
 * training, checkpoints and PNG pictures.
 *
 * The reference above stays in the emitted index.d.ts / browser.d.ts (TypeScript 5.5+ keeps only
 * references marked `preserve`), so a consumer's compiler knows GPUDevice and the other WebGPU
 * types the declarations use, from the @webgpu/types dependency.
 */

// Syntax: text → AST with spans, and every syntax error.
export { parse } from './syntax/parse.js';
export type { ParseResult } from './syntax/parse.js';
export type {
  Program, TopItem, Name, ImportDecl, Param, BlockDecl, ModelDecl,
  Stmt, InputStmt, AssignStmt, ExprStmt, ReturnStmt, TrainEntry, TrainStmt,
  Expr, NumberLit, SizeLit, StringLit, BoolLit, Ident, TupleExpr, ListExpr, Arg, CallExpr, MemberExpr,
  UnaryExpr, BinaryOp, BinaryExpr, IfExpr, Stage, PipeExpr, Missing,
} from './syntax/ast.js';

// Diagnostics: plain data, rendered separately.
export { CODES } from './diagnostics/codes.js';
export type { Code } from './diagnostics/codes.js';
export { hasErrors, compareDiagnostics } from './diagnostics/diagnostic.js';
export type { Diagnostic, Note, Severity } from './diagnostics/diagnostic.js';
export { sourceFile, positionOf, lineText } from './diagnostics/source.js';
export type { SourceFile, Span, Position } from './diagnostics/source.js';
export { renderShort, renderPretty, renderAll } from './diagnostics/render.js';
export type { Sources, PrettyOptions } from './diagnostics/render.js';

// Front end: load and parse (with imports) → check shapes. Sources from disk or from a map.
export { compileFrontEnd } from './compiler.js';
export type { FrontEndResult } from './compiler.js';
export { nodeHost } from './host.js';
export { memoryHost } from './memory-host.js';
export type { SourceHost } from './check/modules.js';
export type { CheckOptions } from './check/check.js';

// The checked model and its summary.
export type { CheckedModel, ModelNode } from './check/model.js';
export type { TrainingConfig } from './check/training.js';
export type { AttrValue, ReceptiveField, WeightSpec as LayerWeightSpec } from './check/layers/types.js';
export { summarize } from './check/summary.js';
export type { ModelSummary, LayerSummary } from './check/summary.js';
export { formatShape } from './check/values.js';

// Graph IR: lowering, autodiff, fusion, batchnorm folding, verification, dumps, float64 reference.
export { lowerModel } from './ir/lower.js';
export type { LowerOptions, Mode as LowerMode } from './ir/lower.js';
export { differentiate } from './ir/autodiff.js';
export type { AutodiffOptions } from './ir/autodiff.js';
export { fuse } from './ir/fuse.js';
export type { FusionPlan, FuseOptions, Group as FusionGroup } from './ir/fuse.js';
export { foldBatchnorm } from './ir/fold.js';
export type { FoldOptions } from './ir/fold.js';
export { verifyGraph } from './ir/verify.js';
export { printGraph } from './ir/print.js';
export { runGraph } from './ir/reference/run.js';
export type { RefContext } from './ir/reference/run.js';
export { initialValues } from './ir/init.js';
export { mulberry32 } from './ir/random.js';
export type {
  Graph, Tensor, TensorRole, Init, Op, OpKind, ConvAttrs, PoolAttrs, UnaryFn, PoolMode, Pair, Pad4,
} from './ir/graph.js';

// Code generation: WGSL kernels and the device plan (kernel order, buffer layout).
export { TARGETS } from './codegen/targets.js';
export type { TargetExtras } from './codegen/variants.js';
export { emitKernel } from './codegen/emit.js';
export type { Kernel, Binding, Workgroups, TargetInfo } from './codegen/kernel.js';
export { planDevice, DEFAULT_OPTIMIZER } from './engine/plan.js';
// The back end as named stages (src/backend.ts): what every caller compiles through.
export { compileBackEnd, lowerStage, planStages, trainingDefaults, initialWeights } from './backend.js';
export type { BackEndOptions, BackEndStages, BackEndMode } from './backend.js';
export { printFusion, printDevicePlan } from './engine/print-plan.js';
export type { DevicePlan, PlanOptions } from './engine/plan.js';

// Compiled modules: the manifest and WGSL as data, the files of a standalone ES module, writing them.
export { compileModule } from './module/compile-module.js';
export type { ModuleManifest, VariantSpec, CnncModel, CreateModelOptions } from './module/manifest.js';
export { chooseVariant, variantProblem } from './runtime/variant.js';
export type { DeviceFacts } from './runtime/variant.js';
export type { ModuleOptions, CompiledModule } from './module/compile-module.js';
export { moduleFiles, writeModuleFiles } from './module/write-module.js';
export type { ModuleFile } from './module/write-module.js';

// Running on WebGPU: a device, a compiled model on it, and a probe of every layer.
export { acquireDevice, NoAdapterError } from './runtime/device.js';
export type { GpuContext, DeviceOptions } from './runtime/device.js';
export { KernelCompileError } from './runtime/pipelines.js';
export { GpuRunError } from './runtime/executor.js';
export { ModelSession, BatchTooLargeError } from './engine/session.js';
export type { SessionOptions, WeightTensor } from './engine/session.js';
export { WeightsError } from './engine/weights.js';
export { ModelProbe } from './engine/probe.js';
export type { ProbeOptions, LayerOutput, Activation, Objective } from './engine/probe.js';

// Training: the loop, evaluation, optimizers (float64 reference of the GPU update), schedules.
export { train } from './train/trainer.js';
export type { TrainSetup, TrainEvents, TrainResult, StepEvent } from './train/trainer.js';
export { evaluate } from './train/evaluate.js';
export type { EvalResult, EvalOptions } from './train/evaluate.js';
export { initialState, optimizerStep } from './train/optimizer.js';
export type { OptimizerConfig, OptimizerState } from './train/optimizer.js';
export { learningRate } from './train/schedule.js';
export type { Metrics, EpochMetrics, StepMetrics } from './train/metrics.js';
export { renderCurves } from './train/plot.js';

// Data sets: loaders, splits, normalisation, batches.
export type { Dataset } from './train/data/dataset.js';
export { datasetSize, subset } from './train/data/dataset.js';
export { parseDataSpec, loadData } from './train/data/spec.js';
export type { DataSpec, LoadedData } from './train/data/spec.js';
export { loadMnist, loadIdxDataset } from './train/data/mnist.js';
export { loadCifar10, CIFAR10_CLASS_NAMES } from './train/data/cifar10.js';
export { loadImageFolder, loadImage } from './train/data/images.js';
export type { ImageFolderOptions } from './train/data/images.js';
export { shuffleDataset, splitValidation } from './train/data/split.js';
export { channelStats, normalizeImages } from './train/data/normalize.js';
export type { ChannelStats } from './train/data/normalize.js';
export { batches, prefetchBatches, batchCount } from './train/data/batches.js';
export type { Batch, BatchOptions } from './train/data/batches.js';
export { augmentBatch } from './train/data/augment.js';
export type { AugmentOptions } from './train/data/augment.js';

// Weights and checkpoints: safetensors with PyTorch names, checkpoints, importing PyTorch weights.
export { encodeSafetensors, decodeSafetensors, floatTensor, writeFileAtomic } from './train/safetensors.js';
export type { Safetensors, TensorInput, DecodedTensor } from './train/safetensors.js';
export { CHECKPOINT_FORMAT, modelTensors, encodeCheckpoint, saveCheckpoint, loadCheckpoint, readSafetensorsFile } from './train/checkpoint.js';
export type { Checkpoint, TrainingPosition, ModelTensor } from './train/checkpoint.js';
export { matchWeights } from './train/import-weights.js';
export type { WeightMatch } from './train/import-weights.js';
export { SafetensorsError, DataError, WriteError, CheckpointError } from './train/errors.js';
export type { SafetensorsErrorCode, DataErrorCode } from './train/errors.js';

// Pictures: the architecture diagram (SVG) and what a trained network computes (PNG).
export { renderDiagram } from './viz/diagram.js';
export type { DiagramOptions } from './viz/diagram.js';
export type { Picture, Rgb } from './viz/raster.js';
export { grid, imagePicture, upscale } from './viz/raster.js';
export { encodePng, decodePng } from './viz/png.js';
export { convLayers, renderFilters } from './viz/filters.js';
export type { FilterOptions } from './viz/filters.js';
export { activationPicture, activationStats } from './viz/activations.js';
export type { ActivationPictureOptions, ActivationStats } from './viz/activations.js';
export { saliencyMap, renderSaliency } from './viz/saliency.js';
export type { SaliencyPictureOptions } from './viz/saliency.js';
export { maximizeActivation } from './viz/maximize.js';
export type { MaximizeOptions, MaximizeResult, ObjectiveFn } from './viz/maximize.js';
export { featuresOf, nearest, renderNeighbours } from './viz/neighbors.js';
export type { Metric, Neighbour } from './viz/neighbors.js';
export { inputMapping } from './viz/input.js';
export type { InputMapping } from './viz/input.js';
