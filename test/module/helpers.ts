import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import type { CheckedModel } from '../../src/check/model.js';
import { compileFrontEnd } from '../../src/compiler.js';
import { nodeHost } from '../../src/host.js';
import { compileModule, type CompiledModule } from '../../src/module/compile-module.js';
import { moduleFiles, writeModuleFiles } from '../../src/module/write-module.js';

export const run = promisify(execFile);

/**
 * A fresh folder inside the repository's node_modules, so a module written there resolves
 * `import('webgpu')` and `@webgpu/types` from this checkout as an installed package would.
 */
export function tempModuleDir(): string {
  const base = resolve('node_modules/.cache/cnnc-module-tests');
  mkdirSync(base, { recursive: true });
  return mkdtempSync(join(base, 'm-'));
}

export function removeDir(dir: string | undefined): void {
  if (dir) rmSync(dir, { recursive: true, force: true });
}

export function loadModel(path: string): CheckedModel {
  const r = compileFrontEnd(path, readFileSync(path, 'utf8'), nodeHost, {});
  if (r.diagnostics.some((d) => d.severity === 'error')) throw new Error(`${path} does not check`);
  return r.models[0];
}

/** Compiles a model into `dir` with the software variants, as `cnnc compile FILE -o DIR` does. */
export function writeModule(model: CheckedModel, source: string, dir: string, seed = 0): CompiledModule {
  const compiled = compileModule(model, { target: 'software', fusion: true, seed });
  writeModuleFiles(dir, moduleFiles(compiled, source));
  return compiled;
}

export interface WeightsJson {
  readonly [name: string]: { readonly shape: number[]; readonly data: number[] };
}

/** What test/module/run-module.mjs reports. */
export interface ChildResult {
  readonly inputShape: number[];
  readonly modelInputShape: number[];
  readonly dispatches: { forward: number; trainStep: number };
  readonly initial: WeightsJson;
  readonly logits: number[];
  readonly losses: number[];
  readonly step: number;
  readonly lastLoss: number;
  readonly trained: WeightsJson;
  readonly trainedLogits: number[];
  readonly restored: WeightsJson;
  readonly restoredLogits: number[];
  readonly errors: Readonly<Record<'wrongShape' | 'wrongLength' | 'unknownName' | 'shortInput' | 'hugeBatch' | 'badLabel', string | null>>;
  readonly afterErrors: WeightsJson;
  readonly afterDestroy: string | null;
}

export interface ChildJob {
  readonly seed: number;
  readonly batch: number;
  readonly x: readonly number[];
  readonly target: readonly number[];
  readonly steps: number;
}

/** Runs the module in a plain `node` process (no vitest, no cnnc on the import path). */
export async function runInChild(dir: string, moduleName: string, job: ChildJob): Promise<ChildResult> {
  const jobPath = join(dir, 'job.json');
  const resultPath = join(dir, 'result.json');
  writeFileSync(jobPath, JSON.stringify(job));
  try {
    // Generous: pipeline compilation on a shared 2-core machine can take a minute.
    await run(process.execPath, [resolve('test/module/run-module.mjs'), join(dir, `${moduleName}.js`), jobPath, resultPath], { timeout: 280_000 });
  } catch (e) {
    const err = e as Error & { stderr?: string };
    throw new Error(`${moduleName}.js failed in a child node process: ${err.message}\n${err.stderr ?? ''}`);
  }
  return JSON.parse(readFileSync(resultPath, 'utf8')) as ChildResult;
}
