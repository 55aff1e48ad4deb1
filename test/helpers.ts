import { compileFrontEnd, type FrontEndResult } from '../src/compiler.js';
import type { CheckOptions } from '../src/check/check.js';
import type { CheckedModel } from '../src/check/model.js';
import { memoryHost } from '../src/host.js';

/** Checks source text held in memory; extra files are importable by name. */
export function checkText(text: string, opts: CheckOptions = {}, files: Record<string, string> = {}): FrontEndResult {
  return compileFrontEnd('main.cnn', text, memoryHost({ 'main.cnn': text, ...files }), opts);
}

export function codes(r: FrontEndResult): string[] {
  return r.diagnostics.map((d) => d.code);
}

/** The single model of a source that must check without any diagnostic. */
export function cleanModel(text: string, opts: CheckOptions = {}): CheckedModel {
  const r = checkText(text, opts);
  if (r.diagnostics.length) throw new Error(r.diagnostics.map((d) => `${d.code}: ${d.message}`).join('\n'));
  return r.models[0];
}

/** Output shape of a one-input model `input x: <inputShape>`, followed by a pipeline. */
export function shapeOf(inputShape: string, pipeline: string, opts: CheckOptions = {}): readonly number[] {
  const m = cleanModel(`model t {\n  input x: ${inputShape}\n  x -> ${pipeline}\n}\n`, opts);
  return m.nodes[m.output].shape;
}
