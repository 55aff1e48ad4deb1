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

// Everything that runs without Node (src/browser.ts): the front end, diagnostics, checking, the
// IR and back-end stages, code generation, compiled modules as data, sessions and the diagram.
export * from './browser.js';

// Reading sources from disk and writing a compiled module's files.
export { nodeHost } from './host.js';
export { moduleFiles, writeModuleFiles } from './module/write-module.js';

// Training: the loop, evaluation, optimizers (float64 reference of the GPU update), schedules.
export { train } from './train/trainer.js';
export type { TrainSetup, TrainEvents, TrainResult, StepEvent } from './train/trainer.js';
export { initialState, optimizerStep } from './train/optimizer.js';
export type { OptimizerState } from './train/optimizer.js';
export type { Metrics, EpochMetrics, StepMetrics } from './train/metrics.js';
export { renderCurves } from './train/plot.js';

// Data sets: loaders, splits, normalisation, batches.
export { parseDataSpec, loadData } from './train/data/spec.js';
export type { DataSpec, LoadedData } from './train/data/spec.js';
export { loadMnist, loadIdxDataset } from './train/data/mnist.js';
export { loadCifar10, CIFAR10_CLASS_NAMES } from './train/data/cifar10.js';
export { loadImageFolder, loadImage } from './train/data/images.js';
export type { ImageFolderOptions } from './train/data/images.js';
export { shuffleDataset, splitValidation } from './train/data/split.js';
export { channelStats, normalizeImages } from './train/data/normalize.js';
export type { ChannelStats } from './train/data/normalize.js';
export { augmentBatch } from './train/data/augment.js';
export type { AugmentOptions } from './train/data/augment.js';

// Weights and checkpoints: safetensors with PyTorch names, checkpoints, importing PyTorch weights.
export { writeFileAtomic } from './train/atomic-write.js';
export { CHECKPOINT_FORMAT, modelTensors, encodeCheckpoint, saveCheckpoint, loadCheckpoint, readSafetensorsFile, readWeightsFile } from './train/checkpoint.js';
export type { Checkpoint, TrainingPosition, ModelTensor } from './train/checkpoint.js';
export { matchWeights } from './train/import-weights.js';
export type { WeightMatch } from './train/import-weights.js';
export { SafetensorsError, DataError, WriteError, CheckpointError } from './train/errors.js';
export type { SafetensorsErrorCode, DataErrorCode } from './train/errors.js';

// Pictures of what a trained network computes (PNG); the SVG diagram comes with the browser entry.
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
