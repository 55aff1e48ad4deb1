import { readFileSync } from 'node:fs';
import { writeFileAtomic } from './atomic-write.js';

/** One optimizer step. */
export interface StepMetrics {
  readonly step: number;
  readonly epoch: number;
  readonly loss: number;
  readonly accuracy: number;
  readonly lr: number;
}

/** One finished epoch; validation is absent when there is nothing to validate on. */
export interface EpochMetrics {
  readonly epoch: number;
  readonly trainLoss: number;
  readonly trainAccuracy: number;
  readonly validationLoss?: number;
  readonly validationAccuracy?: number;
  /** Which split validated: the held-out part of the training data, or the test split. */
  readonly validationSplit?: 'validation' | 'test';
  readonly seconds: number;
  readonly imagesPerSecond: number;
}

/** What `cnnc train` writes to OUT/metrics.json as it goes. */
export interface Metrics {
  readonly model: string;
  steps: StepMetrics[];
  epochs: EpochMetrics[];
  test?: { readonly loss: number; readonly accuracy: number; readonly top5?: number; readonly count: number };
}

export async function writeMetrics(path: string, m: Metrics): Promise<void> {
  await writeFileAtomic(path, new TextEncoder().encode(JSON.stringify(m, null, 1) + '\n'));
}

/**
 * The metrics of a run being resumed, cut back to the checkpoint's step so a resumed run's
 * file matches an uninterrupted one; a missing or unreadable file starts afresh.
 */
export function resumeMetrics(path: string, model: string, step: number, epoch: number): Metrics {
  try {
    const m = JSON.parse(readFileSync(path, 'utf8')) as Metrics;
    if (m.model !== model || !Array.isArray(m.steps) || !Array.isArray(m.epochs)) return { model, steps: [], epochs: [] };
    return { model, steps: m.steps.filter((s) => s.step < step), epochs: m.epochs.filter((e) => e.epoch < epoch) };
  } catch {
    return { model, steps: [], epochs: [] };
  }
}
