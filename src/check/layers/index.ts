import { activations } from './activation.js';
import { conv } from './conv.js';
import { dense, dropout, flatten } from './dense.js';
import { add, concat } from './merge.js';
import { batchnorm, lrn } from './norm.js';
import { adaptiveavgpool, adaptivemaxpool, avgpool, globalavgpool, globalmaxpool, l2pool, maxout, maxpool, minpool } from './pool.js';
import type { LayerDef } from './types.js';

/** Every built-in layer, by the name used in .cnn files. Semantics live in one file per family. */
export const LAYERS: ReadonlyMap<string, LayerDef> = new Map(
  [
    conv,
    maxpool, avgpool, minpool, l2pool, globalavgpool, globalmaxpool, adaptiveavgpool, adaptivemaxpool, maxout,
    dense, flatten, dropout,
    batchnorm, lrn,
    ...activations,
    add, concat,
  ].map((d) => [d.name, d]),
);
