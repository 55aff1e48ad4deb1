import {
  batchCount, batches, evaluate, learningRate, ModelSession, normalizer, subset, trainingConfig,
  type CheckedModel, type Dataset, type EvalResult, type TrainingConfig,
} from '../../src/browser.js';

/** What the page trains with besides the model's `train { }` section. */
export interface RunSettings {
  /** The first this many images of the shipped training subset. */
  readonly images: number;
  /** Held-out images (MNIST's test split) scored during and after training. */
  readonly testImages: number;
  readonly epochs: number;
  /** Images per step (the train section's unless the page's Batch box says otherwise). */
  readonly batch: number;
}

export interface Progress {
  readonly epoch: number;
  readonly epochs: number;
  /** Batches done in the current epoch, of `batches`. */
  readonly batch: number;
  readonly batches: number;
  readonly step: number;
  readonly imagesPerSecond: number;
  readonly losses: readonly (readonly [number, number])[];
  readonly accuracies: readonly (readonly [number, number])[];
  readonly lastTest?: EvalResult;
}

/** How often the loss is read back (each read waits for the GPU; steps in between are queued). */
const LOSS_EVERY = 4;
/** Held-out scores per epoch, for the accuracy curve. */
const SCORES_PER_EPOCH = 4;

/**
 * A training run in the page: a ModelSession on the page's device, stepped batch by batch with
 * the model's own optimizer, schedule, batch size and normalisation (trainingConfig), as
 * `cnnc train` does. `stop()` ends it after the step in flight; `go()` again continues from there
 * with the same weights, optimizer state and position in the epoch.
 */
export class TrainingRun {
  private cfg: TrainingConfig;
  private readonly train: Dataset;
  private readonly test: Dataset;
  private readonly normalise: (x: Float32Array) => Float32Array;
  private readonly stepsPerEpoch: number;
  private epoch = 0;
  private batch = 0;
  private stopping = false;
  private running = false;
  private readonly losses: [number, number][] = [];
  private readonly accuracies: [number, number][] = [];
  private lastTest: EvalResult | undefined;

  private constructor(
    readonly model: CheckedModel,
    readonly session: ModelSession,
    data: { train: Dataset; test: Dataset },
    private runSettings: RunSettings,
  ) {
    // As `cnnc train --epochs N --batch B`: the page's numbers replace the section's, so the
    // schedule (cosine, step) runs its course over the epochs actually trained.
    this.cfg = { ...trainingConfig(model), epochs: runSettings.epochs, batch: runSettings.batch };
    const first = (n: number) => Int32Array.from({ length: n }, (_, i) => i);
    this.train = subset(data.train, first(Math.min(runSettings.images, data.train.labels.length)));
    this.test = subset(data.test, first(Math.min(runSettings.testImages, data.test.labels.length)));
    this.normalise = normalizer(this.config, data.train.shape);
    this.stepsPerEpoch = batchCount(this.train.labels.length, { batchSize: this.config.batch, dropLast: true });
  }

  static async create(model: CheckedModel, device: GPUDevice, data: { train: Dataset; test: Dataset }, settings: RunSettings): Promise<TrainingRun> {
    const cfg = trainingConfig(model);
    const session = await ModelSession.create(model, { batch: settings.batch, train: true, optimizer: cfg.optimizer, seed: cfg.seed, loss: cfg.loss, device });
    return new TrainingRun(model, session, data, settings);
  }

  get settings(): RunSettings {
    return this.runSettings;
  }

  /** More (or fewer) epochs for the rest of the run; the schedule keeps the model's epoch count. */
  setEpochs(epochs: number): void {
    this.runSettings = { ...this.runSettings, epochs };
    this.cfg = { ...this.cfg, epochs };
  }

  get config(): TrainingConfig {
    return this.cfg;
  }

  get finished(): boolean {
    return this.epoch >= this.settings.epochs;
  }

  get isRunning(): boolean {
    return this.running;
  }

  stop(): void {
    this.stopping = true;
  }

  /** Trains until the last epoch ends or stop() is called; reports after every read of the loss. */
  async go(report: (p: Progress) => void): Promise<void> {
    if (this.running) return;
    this.running = true;
    this.stopping = false;
    const cfg = this.config;
    const started = performance.now();
    let images = 0;
    const progress = (): Progress => {
      // Just after an epoch ends, say so rather than "batch 0" of the next.
      const between = this.batch === 0 && this.epoch > 0;
      return {
      epoch: between ? this.epoch - 1 : this.epoch, epochs: this.settings.epochs, batch: between ? this.stepsPerEpoch : this.batch, batches: this.stepsPerEpoch, step: this.session.step,
      imagesPerSecond: images / Math.max(1e-3, (performance.now() - started) / 1000),
      losses: this.losses, accuracies: this.accuracies, lastTest: this.lastTest,
      };
    };
    const scoreEvery = Math.max(1, Math.round(this.stepsPerEpoch / SCORES_PER_EPOCH));
    try {
      while (!this.finished && !this.stopping) {
        // Cross-entropy takes class indices; mean squared error one-hot rows (as `cnnc train`).
        const oneHot = cfg.loss === 'mse';
        for (const b of batches(this.train, { batchSize: cfg.batch, seed: cfg.seed, epoch: this.epoch, dropLast: true, from: this.batch, oneHot })) {
          const step = this.session.step;
          const lr = learningRate(cfg, step, this.stepsPerEpoch);
          const last = b.index === this.stepsPerEpoch - 1;
          const readLoss = step % LOSS_EVERY === 0 || last;
          const loss = await this.session.trainStep(this.normalise(b.x), b.y instanceof Float32Array ? b.y : Float32Array.from(b.y), cfg.batch, { lr, readLoss });
          images += b.n;
          this.batch = b.index + 1;
          if (loss !== undefined) this.losses.push([step + 1, loss]);
          if (this.batch % scoreEvery === 0 || last) await this.score();
          if (readLoss) {
            report(progress());
            // Let the page paint and handle clicks (Stop) between the GPU's batches.
            await new Promise((r) => setTimeout(r, 0));
          }
          if (this.stopping) break;
        }
        if (this.batch >= this.stepsPerEpoch) {
          this.epoch++;
          this.batch = 0;
        }
      }
    } finally {
      this.running = false;
    }
    report(progress());
  }

  /** Scores the held-out images and adds the accuracy to the curve. */
  private async score(): Promise<void> {
    this.lastTest = await evaluate(this.session, this.test, { batch: this.config.batch, loss: this.config.loss, prepare: this.normalise });
    this.accuracies.push([this.session.step, this.lastTest.accuracy]);
  }

  async destroy(): Promise<void> {
    await this.session.destroy();
  }
}
