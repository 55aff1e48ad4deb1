import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { CheckedModel } from '../check/model.js';
import type { TrainingConfig } from '../check/training.js';
import { ModelSession, type WeightTensor } from '../engine/session.js';
import { saveCheckpoint, type Checkpoint, type TrainingPosition } from './checkpoint.js';
import { batchCount, prefetchBatches } from './data/batches.js';
import { datasetSize, type Dataset } from './data/dataset.js';
import { DataError } from './errors.js';
import { evaluate, Scorer, type EvalResult } from './evaluate.js';
import { augmentOptions, normalizer, trainingTransform } from './inputs.js';
import { resumeMetrics, writeMetrics, type EpochMetrics, type Metrics, type StepMetrics } from './metrics.js';
import { locateNonFinite, type NonFiniteReport } from './nonfinite.js';
import { renderCurves } from './plot.js';
import { learningRate } from './schedule.js';
import { checkWritableFolder, writeFileAtomic } from './atomic-write.js';
import { encodeTorchZip } from './torch-save.js';
import { encodeSafetensors } from './safetensors.js';
import { weightsMetadata } from './weight-file.js';

/**
 * The training loop behind `cnnc train`: plain data in (a checked model, its completed training
 * section, data sets), events out, files in `outDir`. It never prints; the CLI renders events.
 */
export interface TrainSetup {
  readonly model: CheckedModel;
  readonly config: TrainingConfig;
  readonly train: Dataset;
  /** Validated on after every epoch (a held-out part of the training data, or the test split). */
  readonly validation?: { readonly data: Dataset; readonly split: 'validation' | 'test' };
  /** Scored once at the end. */
  readonly test?: Dataset;
  readonly outDir?: string;
  readonly resume?: Checkpoint;
  /** Starting weights (imported), used when not resuming. */
  readonly initialWeights?: Readonly<Record<string, WeightTensor>>;
  /** The final weights as OUT/model.safetensors (the default) or as a torch.save state dict, OUT/model.pt. */
  readonly saveFormat?: 'safetensors' | 'pt';
  /** Aborting (Ctrl-C) saves a checkpoint after the step in progress and stops. */
  readonly signal?: AbortSignal;
  readonly device?: GPUDevice;
}

export interface StepEvent extends StepMetrics {
  readonly batchInEpoch: number;
  readonly stepsPerEpoch: number;
  readonly epochs: number;
  readonly imagesPerSecond: number;
}

export interface TrainEvents {
  onStart?(info: { stepsPerEpoch: number; epochs: number; start: TrainingPosition; trainSize: number; dispatches: { forward: number; trainStep?: number } }): void;
  onStep?(e: StepEvent): void;
  onEpoch?(e: EpochMetrics): void;
  onCheckpoint?(path: string, position: TrainingPosition): void;
}

export interface TrainResult {
  readonly status: 'done' | 'interrupted' | 'diverged';
  readonly metrics: Metrics;
  readonly test?: EvalResult;
  readonly checkpoint?: string;
  /** Weights only, PyTorch names: the file eval, predict and viz take. */
  readonly weightsFile?: string;
  readonly nonFinite?: NonFiniteReport;
  readonly seconds: number;
  readonly final: Record<string, WeightTensor>;
}

export async function train(setup: TrainSetup, events: TrainEvents = {}): Promise<TrainResult> {
  const { model, config: cfg, train: data } = setup;
  const batch = cfg.batch;
  const size = datasetSize(data);
  if (size < batch) throw new DataError('E_DATA_OPTION', `batch ${batch} is larger than the ${size} training images; use --batch ${Math.max(1, size)} or less`);
  checkFinite(data);
  // Where the results go must take them before any work is done.
  if (setup.outDir) checkWritableFolder(setup.outDir);
  const stepsPerEpoch = batchCount(size, { batchSize: batch, dropLast: true });
  const started = performance.now();
  const session = await ModelSession.create(model, { batch, train: true, optimizer: cfg.optimizer, seed: cfg.seed, loss: cfg.loss, device: setup.device });
  try {
    return await new Run(setup, session, stepsPerEpoch, events, started).go();
  } finally {
    await session.destroy();
  }
}

class Run {
  private readonly metrics: Metrics;
  private lastValidation: EvalResult | undefined;
  private readonly start: TrainingPosition;
  private readonly shape: readonly [number, number, number];
  private readonly paths: { checkpoint?: string; metrics?: string; curves?: string; weights?: string };

  constructor(
    private readonly setup: TrainSetup,
    private readonly session: ModelSession,
    private readonly stepsPerEpoch: number,
    private readonly events: TrainEvents,
    private readonly started: number,
  ) {
    this.shape = setup.train.shape;
    this.start = setup.resume?.position ?? { step: 0, epoch: 0, batch: 0 };
    const out = setup.outDir;
    if (out) mkdirSync(out, { recursive: true });
    this.paths = out
      ? { checkpoint: join(out, 'checkpoint.safetensors'), metrics: join(out, 'metrics.json'), curves: join(out, 'curves.svg'), weights: join(out, setup.saveFormat === 'pt' ? 'model.pt' : 'model.safetensors') }
      : {};
    this.metrics = setup.resume && this.paths.metrics
      ? resumeMetrics(this.paths.metrics, setup.model.name, this.start.step, this.start.epoch)
      : { model: setup.model.name, steps: [], epochs: [] };
  }

  async go(): Promise<TrainResult> {
    const { setup, session } = this;
    const cfg = setup.config;
    if (setup.resume) {
      await session.setWeights(setup.resume.weights);
      await session.setOptimizerState(setup.resume.optimizer);
      session.step = setup.resume.position.step;
    } else if (setup.initialWeights) await session.setWeights(setup.initialWeights);
    this.events.onStart?.({ stepsPerEpoch: this.stepsPerEpoch, epochs: cfg.epochs, start: this.start, trainSize: datasetSize(setup.train), dispatches: session.dispatches });

    const augment = augmentOptions(cfg, setup.train);
    for (let epoch = this.start.epoch; epoch < cfg.epochs; epoch++) {
      const epochStart = performance.now();
      const ran = await this.steps(epoch, epoch === this.start.epoch ? this.start.batch : 0, augment, epochStart);
      if ('result' in ran) return ran.result;
      const { score, lossSum, images } = ran;
      const seconds = (performance.now() - epochStart) / 1000;
      const trained = score.result();
      const v = setup.validation ? await this.evaluate(setup.validation.data) : undefined;
      this.lastValidation = v;
      const e: EpochMetrics = {
        epoch,
        trainLoss: lossSum / Math.max(1, images),
        trainAccuracy: trained.accuracy,
        validationLoss: v?.loss,
        validationAccuracy: v?.accuracy,
        validationSplit: setup.validation?.split,
        seconds,
        imagesPerSecond: images / seconds,
      };
      this.metrics.epochs.push(e);
      this.events.onEpoch?.(e);
      const checkpoint = await this.save({ step: session.step, epoch: epoch + 1, batch: 0 });
      if (setup.signal?.aborted && epoch + 1 < cfg.epochs) return this.finish('interrupted', checkpoint);
    }
    // When the test split is what validated each epoch, its last score is the final one.
    const reuse = setup.validation?.data === setup.test && this.lastValidation && this.start.epoch < setup.config.epochs;
    const test = setup.test ? (reuse ? this.lastValidation : await this.evaluate(setup.test)) : undefined;
    if (test) this.metrics.test = { loss: test.loss, accuracy: test.accuracy, top5: test.top5, count: test.count };
    return this.finish('done', this.paths.checkpoint, test);
  }

  /** One epoch's steps from batch `from`; stops early with a result on divergence or an abort. */
  private async steps(
    epoch: number,
    from: number,
    augment: ReturnType<typeof augmentOptions>,
    epochStart: number,
  ): Promise<{ result: TrainResult } | { score: Scorer; lossSum: number; images: number }> {
    const { setup, session } = this;
    const cfg = setup.config;
    const classes = setup.train.classes;
    const target = new Float32Array(cfg.batch * (cfg.loss === 'mse' ? classes : 1));
    const score = new Scorer(classes, cfg.loss);
    let lossSum = 0;
    let images = 0;
    const batches = prefetchBatches(setup.train, {
      batchSize: cfg.batch,
      seed: cfg.seed,
      epoch,
      dropLast: true,
      oneHot: cfg.loss === 'mse',
      from,
      transform: trainingTransform(cfg, this.shape, augment, cfg.seed, epoch),
    });
    for await (const b of batches) {
      const step = session.step;
      const lr = learningRate(cfg, step, this.stepsPerEpoch);
      if (cfg.loss === 'mse') target.set(b.y);
      else for (let i = 0; i < b.y.length; i++) target[i] = b.y[i];
      session.snapshot(step % 2);
      await session.trainStep(b.x, target, cfg.batch, { lr, readLoss: false });
      const { loss, logits } = await session.trainOutputs();
      // Logits too: a NaN logit can come out of the fused loss kernel as a finite loss, since
      // WGSL leaves max() of a NaN to the implementation.
      if (!Number.isFinite(loss) || !logits.every(Number.isFinite)) return { result: await this.diverged(b.x, epoch, b.index, loss) };
      const labels = cfg.loss === 'mse' ? labelsOfOneHot(b.y, classes) : b.y;
      const right = score.add(logits, labels, b.n);
      lossSum += loss * b.n;
      images += b.n;
      const entry: StepMetrics = { step, epoch, loss, accuracy: right / Math.max(1, b.n), lr };
      this.metrics.steps.push(entry);
      const seconds = (performance.now() - epochStart) / 1000;
      this.events.onStep?.({ ...entry, batchInEpoch: b.index, stepsPerEpoch: this.stepsPerEpoch, epochs: cfg.epochs, imagesPerSecond: images / seconds });
      // An abort on an epoch's last step lets the epoch finish (validation, checkpoint) first.
      if (setup.signal?.aborted && b.index + 1 < this.stepsPerEpoch) {
        const checkpoint = await this.save({ step: session.step, epoch, batch: b.index + 1 });
        return { result: await this.finish('interrupted', checkpoint) };
      }
    }
    return { score, lossSum, images };
  }

  private evaluate(ds: Dataset): Promise<EvalResult> {
    const cfg = this.setup.config;
    return evaluate(this.session, ds, { batch: cfg.batch, loss: cfg.loss, prepare: normalizer(cfg, this.shape) });
  }

  /**
   * The loss of step k is not finite. Snapshot k%2 holds the weights that step started from;
   * the other holds the weights one step earlier, whose loss was finite: the last good state.
   * The forward pass of step k is replayed layer by layer to name where it first broke.
   */
  private async diverged(x: Float32Array, epoch: number, batchIndex: number, loss: number): Promise<TrainResult> {
    const s = this.session;
    const failed = s.step - 1;
    s.restoreSnapshot(failed % 2);
    const weights = await s.getWeights();
    const report = await locateNonFinite(this.setup.model, weights, x, this.setup.config.batch, { step: failed, epoch, batch: batchIndex, loss, seed: this.setup.config.seed, lossKind: this.setup.config.loss });
    let checkpoint: string | undefined;
    if (failed > this.start.step) {
      // Every epoch has stepsPerEpoch steps (the last partial batch is dropped), so a step
      // number says where in which epoch it falls.
      const good = s.restoreSnapshot((failed - 1) % 2);
      checkpoint = await this.save({ step: good, epoch: Math.floor(good / this.stepsPerEpoch), batch: good % this.stepsPerEpoch });
    }
    return { ...(await this.finish('diverged', checkpoint)), nonFinite: report };
  }

  private async save(position: TrainingPosition): Promise<string | undefined> {
    const path = this.paths.checkpoint;
    if (!path) return undefined;
    const s = this.session;
    const c: Checkpoint = {
      model: this.setup.model.name,
      position,
      seed: this.setup.config.seed,
      weights: await s.getWeights(),
      optimizer: await s.getOptimizerState(),
      optimizerConfig: JSON.stringify(this.setup.config.optimizer),
    };
    await saveCheckpoint(path, c);
    await this.writeMetrics();
    this.events.onCheckpoint?.(path, position);
    return path;
  }

  private async writeMetrics(): Promise<void> {
    if (!this.paths.metrics || !this.paths.curves) return;
    await writeMetrics(this.paths.metrics, this.metrics);
    await writeFileAtomic(this.paths.curves, new TextEncoder().encode(renderCurves(this.metrics)));
  }

  private async finish(status: TrainResult['status'], checkpoint: string | undefined, test?: EvalResult): Promise<TrainResult> {
    const final = await this.session.getWeights();
    let weightsFile: string | undefined;
    if (this.paths.weights && status !== 'diverged') {
      const bytes = this.setup.saveFormat === 'pt' ? encodeTorchZip(final) : encodeSafetensors(final, weightsMetadata(this.setup.model.name, this.setup.train));
      await writeFileAtomic(this.paths.weights, bytes);
      weightsFile = this.paths.weights;
    }
    await this.writeMetrics();
    return { status, metrics: this.metrics, test, checkpoint, weightsFile, seconds: (performance.now() - this.started) / 1000, final };
  }
}

function labelsOfOneHot(y: ArrayLike<number>, classes: number): Int32Array {
  const n = y.length / classes;
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) for (let j = 0; j < classes; j++) if (y[i * classes + j] === 1) out[i] = j;
  return out;
}

/** NaN or ∞ in the data would be hidden on the GPU (max(NaN, 0) may be 0 in WGSL): refuse it up front. */
function checkFinite(ds: Dataset): void {
  const size = ds.shape[0] * ds.shape[1] * ds.shape[2];
  for (let i = 0; i < ds.images.length; i++) {
    if (!Number.isFinite(ds.images[i])) throw new DataError('E_DATA_IMAGE', `image ${Math.floor(i / size)} holds ${ds.images[i]} at value ${i % size}`);
  }
}
