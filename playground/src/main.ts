import examples from 'cnnc:examples';
import {
  acquireDevice, inputMapping, isCnncError, LanguageService, memoryHost, ModelProbe, predict, saliency, trainingConfig,
  type CheckedModel, type Diagnostic, type GpuContext,
} from '../../src/browser.js';
import { lineChart } from './chart.js';
import { DigitPad, paint } from './draw.js';
import { moduleZip, saveBytes, weightsFile } from './downloads.js';
import { createEditor } from './editor.js';
import { decodeMnistAsset, type MnistSubset } from './mnist-asset.js';
import { showDiagnostics, showDiagram, showSummary } from './panels.js';
import { fragmentOf, sourceFromFragment } from './share.js';
import { TrainingRun, type Progress } from './training.js';
import { noWebGpuMessage } from './webgpu.js';
import './style.css';

const $ = <T extends HTMLElement = HTMLElement>(id: string): T => document.getElementById(id) as T;
const DEFAULT = 'examples/lenet5.cnn';
/** Where a linked source lives: beside the examples, so `import "blocks/fire.cnn"` resolves. */
const LINKED = 'examples/linked.cnn';

const files: Record<string, string> = { ...examples };
const service = new LanguageService(memoryHost(files));
let path = DEFAULT;
let source = '';
let model: CheckedModel | undefined;
let gpu: GpuContext | undefined;
let run: TrainingRun | undefined;
let mnist: Promise<MnistSubset> | undefined;

const editor = createEditor($('editor'), service, () => path, (text) => {
  source = text;
  schedule();
});

// ---- analysis: diagnostics, summary and diagram, as the source changes ----

let timer: ReturnType<typeof setTimeout> | undefined;
function schedule(): void {
  clearTimeout(timer);
  timer = setTimeout(analyse, 200);
}

function analyse(): void {
  const diagnostics = service.diagnostics(path);
  const sources = service.sources(path);
  editor.showAnalysis(diagnostics, service.inlayHints(path));
  showDiagnostics($('diagnostics'), diagnostics, sources, reveal);
  const models = service.models(path);
  const stale = models.length === 0;
  document.body.classList.toggle('stale', stale);
  if (!stale) {
    model = models[0];
    showSummary($('summary'), model, sources);
    showDiagram($('diagram'), model, expandSetting());
  } else if (!model) {
    const errors = diagnostics.filter((d) => d.severity === 'error').length;
    for (const id of ['summary', 'diagram']) $(id).textContent = `Nothing to show until the ${errors === 1 ? 'error' : `${errors} errors`} on the left ${errors === 1 ? 'is' : 'are'} fixed.`;
  }
  history.replaceState(null, '', fragmentOf(source));
  updateTraining();
  document.body.dataset.analysed = String(Number(document.body.dataset.analysed ?? 0) + 1);
}

function reveal(d: Diagnostic): void {
  editor.view.dispatch({ selection: { anchor: d.span.start, head: d.span.end }, scrollIntoView: true });
  editor.view.focus();
}

const expandSetting = (): 'all' | 'none' | number => {
  const v = $<HTMLSelectElement>('expand').value;
  return v === 'all' || v === 'none' ? v : Number(v);
};
$('expand').addEventListener('change', () => model && showDiagram($('diagram'), model, expandSetting()));

// ---- examples, links, formatting ----

const picker = $<HTMLSelectElement>('examples');
for (const f of Object.keys(examples).filter((p) => !p.includes('/blocks/') && !p.includes('/errors/'))) picker.add(new Option(f.replace('examples/', ''), f));
picker.addEventListener('change', () => examples[picker.value] !== undefined && open(picker.value, examples[picker.value]));

function open(p: string, text: string): void {
  service.close(path);
  path = p;
  editor.setText(text);
}

$('format').addEventListener('click', () => {
  const formatted = service.format(path);
  if (formatted !== undefined && formatted !== source) editor.setText(formatted);
});
$('share').addEventListener('click', async () => {
  const url = location.href.split('#')[0] + fragmentOf(source);
  await navigator.clipboard?.writeText(url).catch(() => undefined);
  $('share').textContent = 'Link copied';
  setTimeout(() => ($('share').textContent = 'Copy link'), 1500);
});

// ---- tabs ----

for (const b of document.querySelectorAll<HTMLButtonElement>('.tabs button')) {
  b.addEventListener('click', () => {
    for (const o of document.querySelectorAll<HTMLButtonElement>('.tabs button')) o.classList.toggle('active', o === b);
    for (const t of document.querySelectorAll<HTMLElement>('.tab')) t.hidden = t.id !== `tab-${b.dataset.tab}`;
  });
}

// ---- training on MNIST ----

/** Why the current model cannot train on the page's MNIST subset, or undefined when it can. */
function mnistProblem(m: CheckedModel | undefined): string | undefined {
  if (!gpu) return 'Training needs WebGPU (see above).';
  if (!m) return 'Fix the errors first.';
  const input = m.nodes[m.inputs[0]].shape;
  const output = m.nodes[m.output].shape;
  if (input.join('x') !== '1x28x28' || output.reduce((a, b) => a * b, 1) !== 10) {
    return `The page trains on MNIST, which needs a 1×28×28 input and 10 outputs; ${m.name} takes ${input.join('×')} and gives ${output.join('×')}. Pick lenet5.cnn, or change the input.`;
  }
  return undefined;
}

/** The train section's epochs and batch last put in the boxes (a user's own choice is kept until the section changes). */
let shown: { epochs: number; batch: number } | undefined;

function updateTraining(): void {
  const problem = mnistProblem(model);
  const cfg = model && trainingConfig(model);
  if (cfg && (cfg.epochs !== shown?.epochs || cfg.batch !== shown?.batch)) {
    shown = { epochs: cfg.epochs, batch: cfg.batch };
    $<HTMLInputElement>('epochs').value = String(cfg.epochs);
    const batch = $<HTMLSelectElement>('batch');
    const sizes = [...new Set([8, 16, 32, 64, 128, 256, cfg.batch])].sort((a, b) => a - b);
    batch.replaceChildren(...sizes.map((n) => new Option(n === cfg.batch ? `${n} (the model's)` : String(n), String(n), false, n === cfg.batch)));
  }
  $('train-note').textContent = problem ?? `${model!.name} trains on the first images of MNIST with its train section: ${cfg!.optimizer.name} lr ${cfg!.optimizer.lr}, ${cfg!.schedule.name} schedule over the epochs below${cfg!.mean ? `, mean ${cfg!.mean.join(', ')} / std ${cfg!.std?.join(', ')}` : ''}.`;
  $('draw-note').textContent = problem ?? (run && run.model === model ? '' : `${model!.name} is not trained yet: its guesses are chance until you train it (Train tab).`);
  $<HTMLButtonElement>('train').disabled = Boolean(problem) || Boolean(run?.isRunning);
  $<HTMLButtonElement>('download-module').disabled = !model;
  const modelChanged = run !== undefined && run.model !== model;
  if (modelChanged && !run!.isRunning) $('train').textContent = 'Train (new model)';
}

function loadMnist(): Promise<MnistSubset> {
  mnist ??= fetch('mnist.bin').then(async (r) => {
    if (!r.ok) throw new Error(`mnist.bin: HTTP ${r.status}`);
    return decodeMnistAsset(new Uint8Array(await r.arrayBuffer()));
  });
  return mnist;
}

function settings() {
  return {
    images: Number($<HTMLSelectElement>('images').value),
    testImages: Number($<HTMLSelectElement>('test-images').value),
    epochs: Math.max(1, Math.round(Number($<HTMLInputElement>('epochs').value) || 1)),
    batch: Number($<HTMLSelectElement>('batch').value),
  };
}

const status = $('train-status');
function setStatus(state: 'loading' | 'running' | 'stopped' | 'done' | 'failed', text: string): void {
  status.dataset.state = state;
  status.textContent = text;
}

function showProgress(p: Progress): void {
  const acc = p.lastTest;
  if (acc) status.dataset.accuracy = String(acc.accuracy);
  const where = `epoch ${Math.min(p.epoch + 1, p.epochs)}/${p.epochs}, batch ${p.batch}/${p.batches}, step ${p.step}`;
  const speed = `${Math.round(p.imagesPerSecond).toLocaleString('en-US')} images/s`;
  const test = acc ? ` · test accuracy ${(100 * acc.accuracy).toFixed(1)}% on ${acc.count} held-out images` : '';
  status.textContent = `${where} · ${speed}${test}`;
  $('loss-chart').innerHTML = lineChart(p.losses, { title: 'training loss', format: (y) => y.toFixed(3) });
  $('accuracy-chart').innerHTML = lineChart(p.accuracies, { title: 'test accuracy', yMin: 0, yMax: 1, format: (y) => `${(100 * y).toFixed(1)}%` });
}

$('train').addEventListener('click', async () => {
  if (!model || !gpu || mnistProblem(model)) return;
  $<HTMLButtonElement>('train').disabled = true;
  try {
    const s = settings();
    if (!run || run.model !== model || run.finished || run.settings.images !== s.images || run.settings.testImages !== s.testImages || run.settings.batch !== s.batch) {
      setStatus('loading', 'loading MNIST and compiling the training kernels…');
      const data = await loadMnist();
      await run?.destroy();
      run = undefined;
      run = await TrainingRun.create(model, gpu.device, data, s);
    } else if (run.settings.epochs !== s.epochs) {
      run.setEpochs(s.epochs);
    }
    $<HTMLButtonElement>('stop').disabled = false;
    $<HTMLButtonElement>('reset').disabled = false;
    setStatus('running', 'training…');
    await run.go(showProgress);
    status.dataset.state = run.finished ? 'done' : 'stopped';
    status.textContent = `${run.finished ? 'done' : 'stopped (Train continues)'} · ${status.textContent}`;
    $<HTMLButtonElement>('download-weights').disabled = false;
    $('train').textContent = run.finished ? 'Train again' : 'Continue';
    predictDrawing();
  } catch (e) {
    setStatus('failed', isCnncError(e) ? `${e.code}: ${e.message}` : `failed: ${(e as Error).message}`);
    console.error(e);
  } finally {
    $<HTMLButtonElement>('stop').disabled = true;
    updateTraining();
  }
});
$('stop').addEventListener('click', () => run?.stop());
$('reset').addEventListener('click', async () => {
  if (run?.isRunning) return;
  await run?.destroy();
  run = undefined;
  $('train').textContent = 'Train';
  $<HTMLButtonElement>('reset').disabled = true;
  $<HTMLButtonElement>('download-weights').disabled = true;
  setStatus('stopped', '');
  $('loss-chart').replaceChildren();
  $('accuracy-chart').replaceChildren();
  updateTraining();
});

$('download-weights').addEventListener('click', async () => {
  if (!run) return;
  const data = await loadMnist();
  saveBytes(`${run.model.name}.safetensors`, weightsFile(run.model, await run.session.getWeights(), data.train), 'application/octet-stream');
});
$('download-module').addEventListener('click', async () => {
  if (!model) return;
  const target = $<HTMLSelectElement>('module-target').value as 'gpu' | 'software';
  const weights = run && run.model === model ? weightsFile(model, await run.session.getWeights(), (await loadMnist()).train) : undefined;
  saveBytes(`${model.name}.zip`, moduleZip(model, path.slice(path.lastIndexOf('/') + 1), target, weights), 'application/zip');
});

// ---- drawing a digit: prediction, probabilities, saliency ----

let probe: { probe: ModelProbe; model: CheckedModel; step: number; run?: TrainingRun } | undefined;
let predicting = false;
let again = false;

const pad = new DigitPad($<HTMLCanvasElement>('pad'), () => predictDrawing());
$('clear').addEventListener('click', () => {
  pad.clear();
  $('prediction').textContent = 'Draw a digit';
  $('probabilities').replaceChildren();
  document.body.dataset.predicted = '';
});

/** The probe for the current model, with the latest trained weights when it has been trained. */
async function currentProbe(): Promise<ModelProbe> {
  const m = model!;
  if (!probe || probe.model !== m) {
    await probe?.probe.destroy();
    probe = { probe: await ModelProbe.create(m, { device: gpu!.device, batch: 1, seed: trainingConfig(m).seed }), model: m, step: 0 };
  }
  const trained = run && run.model === m ? run : undefined;
  if (trained && (probe.run !== trained || probe.step !== trained.session.step)) {
    probe.probe.setWeights(await trained.session.getWeights());
    probe.run = trained;
    probe.step = trained.session.step;
  }
  return probe.probe;
}

async function predictDrawing(): Promise<void> {
  if (!model || mnistProblem(model) || pad.empty) return;
  if (predicting) {
    again = true;
    return;
  }
  predicting = true;
  try {
    const subject = { probe: await currentProbe(), mapping: inputMapping(trainingConfig(model), [1, 28, 28]), shape: [1, 28, 28] as [number, number, number] };
    const pixels = pad.mnistPixels();
    const p = await predict(subject, pixels);
    const s = await saliency(subject, pixels, p.predicted, { scale: 6 });
    $('prediction').textContent = `It looks like a ${p.predicted} (${(100 * p.p[p.predicted]).toFixed(1)}%)`;
    $('probabilities').replaceChildren(...p.p.map((v, k) => bar(k, v, k === p.predicted)));
    paint($<HTMLCanvasElement>('saliency'), s.picture);
    document.body.dataset.predicted = String(p.predicted);
  } catch (e) {
    $('prediction').textContent = isCnncError(e) ? `${e.code}: ${e.message}` : `prediction failed: ${(e as Error).message}`;
    console.error(e);
  } finally {
    predicting = false;
    if (again) {
      again = false;
      void predictDrawing();
    }
  }
}

function bar(k: number, p: number, best: boolean): HTMLElement {
  const row = document.createElement('div');
  row.className = `bar${best ? ' best' : ''}`;
  row.innerHTML = `<span class="digit">${k}</span><span class="fill" style="width:${(100 * p).toFixed(1)}%"></span><span class="value">${(100 * p).toFixed(1)}%</span>`;
  return row;
}

// ---- start ----

async function start(): Promise<void> {
  const linked = location.hash ? sourceFromFragment(location.hash) : undefined;
  if (location.hash && linked === undefined) {
    $('link-problem').hidden = false;
    $('link-problem').textContent = 'The link holds no model this page can read (it expects #code= or #z= followed by base64url); showing lenet5.cnn instead.';
  }
  if (linked !== undefined) {
    path = LINKED;
    picker.add(new Option('(from the link)', LINKED), 0);
    picker.value = LINKED;
  } else {
    picker.value = DEFAULT;
  }
  editor.setText(linked ?? examples[DEFAULT]);
  const missing = noWebGpuMessage();
  if (missing) {
    showNoWebGpu(missing);
  } else {
    try {
      gpu = await acquireDevice();
      $('adapter').textContent = `WebGPU: ${gpu.description}`;
      void gpu.device.lost.then((info) => info.reason !== 'destroyed' && showNoWebGpu(`The GPU device was lost (${info.message}); reload the page.`));
    } catch (e) {
      showNoWebGpu(`${noWebGpuMessage(true)} (${(e as Error).message})`);
    }
  }
  analyse();
  document.body.dataset.ready = 'true';
}

function showNoWebGpu(text: string): void {
  gpu = undefined;
  $('no-webgpu').hidden = false;
  $('no-webgpu').textContent = text;
  $('adapter').textContent = 'no WebGPU';
}

void start();
