import cliProgress from 'cli-progress';
import type { EpochMetrics } from '../train/metrics.js';
import type { StepEvent } from '../train/trainer.js';

/**
 * Training progress on stderr: a bar per epoch (cli-progress) on a terminal; elsewhere (CI logs,
 * pipes) a plain line at every tenth of an epoch, since redrawn bars make unreadable logs.
 */
export class TrainProgress {
  private bar: cliProgress.SingleBar | undefined;
  private lastLine = -1;

  constructor(private readonly tty: boolean) {}

  step(e: StepEvent): void {
    const done = e.batchInEpoch + 1;
    const payload = {
      epochLabel: `epoch ${e.epoch + 1}/${e.epochs}`,
      loss: e.loss.toFixed(4),
      acc: (100 * e.accuracy).toFixed(1),
      speed: Math.round(e.imagesPerSecond).toLocaleString('en-US'),
    };
    if (this.tty) {
      if (!this.bar) {
        this.bar = new cliProgress.SingleBar(
          { format: '{epochLabel} {bar} {value}/{total} loss {loss} acc {acc}% {speed} img/s ETA {eta_formatted}', hideCursor: true, clearOnComplete: true, stream: process.stderr, etaBuffer: 50 },
          cliProgress.Presets.shades_classic,
        );
        this.bar.start(e.stepsPerEpoch, e.batchInEpoch, payload);
      }
      this.bar.update(done, payload);
      return;
    }
    const tenth = Math.floor((10 * done) / e.stepsPerEpoch);
    if (tenth !== this.lastLine && (tenth > this.lastLine || done === 1)) {
      this.lastLine = tenth;
      process.stderr.write(`${payload.epochLabel} step ${done}/${e.stepsPerEpoch} loss ${payload.loss} acc ${payload.acc}% ${payload.speed} img/s\n`);
    }
  }

  epoch(e: EpochMetrics, epochs: number): void {
    this.stop();
    this.lastLine = -1;
    const v = e.validationAccuracy !== undefined ? `, ${e.validationSplit} loss ${e.validationLoss!.toFixed(4)} acc ${(100 * e.validationAccuracy).toFixed(2)}%` : '';
    process.stderr.write(
      `epoch ${e.epoch + 1}/${epochs}: train loss ${e.trainLoss.toFixed(4)} acc ${(100 * e.trainAccuracy).toFixed(2)}%${v} (${e.seconds.toFixed(1)} s, ${Math.round(e.imagesPerSecond).toLocaleString('en-US')} img/s)\n`,
    );
  }

  stop(): void {
    this.bar?.stop();
    this.bar = undefined;
  }
}

/**
 * Progress of a long viz run (`neighbors` over a data set, `maximize`, `invert`, `occlusion`) on
 * stderr: a bar on a terminal, else a line at every tenth, as training's progress does.
 */
export class TaskProgress {
  private bar: cliProgress.SingleBar | undefined;
  private lastTenth = -1;

  constructor(private readonly tty: boolean = process.stderr.isTTY === true) {}

  update(label: string, done: number, total: number, detail = ''): void {
    if (this.tty) {
      if (!this.bar) {
        this.bar = new cliProgress.SingleBar(
          { format: '{label} {bar} {value}/{total} {detail} ETA {eta_formatted}', hideCursor: true, clearOnComplete: true, stream: process.stderr },
          cliProgress.Presets.shades_classic,
        );
        this.bar.start(total, 0, { label, detail });
      }
      this.bar.setTotal(total);
      this.bar.update(done, { label, detail });
      if (done >= total) this.stop();
      return;
    }
    const tenth = Math.floor((10 * done) / Math.max(1, total));
    if (tenth > this.lastTenth) {
      this.lastTenth = tenth;
      process.stderr.write(`${label}: ${done}/${total}${detail ? ` ${detail}` : ''}\n`);
    }
    if (done >= total) this.lastTenth = -1;
  }

  stop(): void {
    this.bar?.stop();
    this.bar = undefined;
  }
}
