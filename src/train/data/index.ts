// The data-set layer of training, in one import.
export * from './dataset.js';
export * from './read-file.js';
export * from './idx.js';
export * from './mnist.js';
export * from './cifar10.js';
export * from './images.js';
export * from './decode-image.js';
export * from './resample.js';
export * from './rng.js';
export * from './split.js';
export * from './normalize.js';
export * from './batches.js';
export * from './color-pca.js';
export * from './augment.js';
export * from './spec.js';
