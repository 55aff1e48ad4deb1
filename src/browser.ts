/// <reference types="@webgpu/types" preserve="true" />
/**
 * cnnc in a browser (`import … from 'cnnc/browser'`): everything that runs without Node. Nothing
 * reachable from here imports `node:*`, `fs`, `path`, `process` or `Buffer`; sources come from a
 * map (`memoryHost`), files are not written, and sessions get their device from `navigator.gpu`
 * (Dawn's `webgpu` package is loaded only when there is none, through a specifier bundlers leave
 * alone: runtime/device.ts). test/package/browser.test.ts keeps it that way.
 *
 * The Node entry (src/index.ts) exports all of this too, plus file I/O, data sets and training.
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
export { CODES, RUN_CODES } from './diagnostics/codes.js';
export type { Code, RunCode } from './diagnostics/codes.js';
export { CnncError, isCnncError } from './diagnostics/run-error.js';
export type { RunDiagnostic, RunErrorDetails } from './diagnostics/run-error.js';
export { hasErrors, compareDiagnostics } from './diagnostics/diagnostic.js';
export type { Diagnostic, Note, Severity, Fix, Edit } from './diagnostics/diagnostic.js';
export { sourceFile, positionOf, lineText } from './diagnostics/source.js';
export type { SourceFile, Span, Position } from './diagnostics/source.js';
export { renderShort, renderPretty, renderAll } from './diagnostics/render.js';
export type { Sources, PrettyOptions, AnyDiagnostic } from './diagnostics/render.js';

// Front end: load and parse (with imports) → check shapes.
export { compileFrontEnd } from './compiler.js';
export type { FrontEndResult } from './compiler.js';
export { memoryHost } from './memory-host.js';
export type { SourceHost } from './check/modules.js';
export type { CheckOptions } from './check/check.js';

// The checked model and its summary.
export type { CheckedModel, ModelNode } from './check/model.js';
export type { TrainingConfig } from './check/training.js';
export { trainingConfig } from './check/training.js';
export type { AttrValue, ReceptiveField, WeightSpec as LayerWeightSpec } from './check/layers/types.js';
export { summarize } from './check/summary.js';
export { SUMMARY_COLUMNS, NUMERIC_COLUMNS, summaryRow, summaryTitle, summaryTotals, humanCount, humanBytes } from './check/summary-text.js';
export { LanguageService, shapeText } from './language/service.js';
export { highlight } from './language/highlight.js';
export type { HighlightToken, TokenClass } from './language/highlight.js';
export type { Hover, InlayHint, DocumentSymbol, SymbolKind, Completion, CompletionKind, CodeAction } from './language/service.js';
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
export type { OptimizerConfig } from './train/optimizer.js';

// Compiled modules as data: the manifest and WGSL sources (writing files is Node-only).
export { compileModule } from './module/compile-module.js';
export type { ModuleManifest, VariantSpec, CnncModel, CreateModelOptions } from './module/manifest.js';
export { chooseVariant, variantProblem } from './runtime/variant.js';
export type { DeviceFacts } from './runtime/variant.js';
export type { ModuleOptions, CompiledModule } from './module/compile-module.js';
export { moduleFilesWith, RUNTIME_FILES } from './module/files.js';
export type { ModuleFile, RuntimeFile } from './module/files.js';

// Running on WebGPU: a device, a compiled model on it, and a probe of every layer.
export { acquireDevice, NoAdapterError } from './runtime/device.js';
export type { GpuContext, DeviceOptions } from './runtime/device.js';
export { KernelCompileError } from './runtime/pipelines.js';
export { GpuRunError } from './runtime/executor.js';
export { ModelSession, BatchTooLargeError } from './engine/session.js';
export type { SessionOptions, WeightTensor } from './engine/session.js';
export { WeightsError } from './engine/weights.js';
// Weights files as bytes (a fetch, a file input): safetensors or torch.save state dicts, in and out.
export { decodeWeightFile, weightsOf, weightsMetadata } from './train/weight-file.js';
export { encodeTorchZip } from './train/torch-save.js';
export { ModelProbe } from './engine/probe.js';
export type { ProbeOptions, LayerOutput, Activation, Objective } from './engine/probe.js';

// Training and evaluating in memory: data sets as plain data, batches, schedules, scores.
export type { Dataset } from './train/data/dataset.js';
export { datasetSize, subset, bytesToUnit } from './train/data/dataset.js';
export { batches, prefetchBatches, batchCount } from './train/data/batches.js';
export type { Batch, BatchOptions } from './train/data/batches.js';
export { normalizer } from './train/inputs.js';
export { learningRate } from './train/schedule.js';
export { evaluate, argmax, softmax } from './train/evaluate.js';
export type { EvalResult, EvalOptions } from './train/evaluate.js';
export { encodeSafetensors, decodeSafetensors, floatTensor } from './train/safetensors.js';
export type { Safetensors, TensorInput, DecodedTensor } from './train/safetensors.js';

// Explaining one image: pixels ↔ the model's input, and the saliency map.
export { inputMapping } from './viz/input.js';
export type { InputMapping } from './viz/input.js';
export { saliency, predict } from './viz/explain.js';
export type { Subject, Prediction, SaliencyResult } from './viz/explain.js';
export type { Picture } from './viz/raster.js';

// Pictures: the architecture diagram (SVG).
export { renderDiagram } from './viz/diagram.js';
export type { DiagramOptions } from './viz/diagram.js';
