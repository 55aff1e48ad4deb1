import { execFile, execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importGraph, isNodeBuiltin } from './import-graph.js';

/**
 * cnnc as another project gets it: `npm pack` of a clean copy of this checkout (its `prepare`
 * builds dist/ there, so the checkout's own dist/, which other tests run, is left alone; and no
 * stale file of an earlier build can hide a missing one), the tarball unpacked
 * into a fresh project's node_modules as npm would put it, then a strict TypeScript consumer, a
 * plain JavaScript one, `npx cnnc check`, and a browser bundle of `cnnc/browser`, all through the
 * package's `exports` map and nothing else.
 *
 * The tarball is unpacked rather than `npm install`ed so that the test needs no network and no
 * npm cache: the consumer's node_modules gets cnnc plus a link to this checkout's copy of each
 * package cnnc's package.json lists under `dependencies` (and `optionalDependencies`), and no
 * other. A package cnnc imports without declaring it is then missing, as it would be for a user.
 */

const ROOT = realpathSync(fileURLToPath(new URL('../../', import.meta.url)));
const PKG = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  name: string;
  dependencies: Record<string, string>;
  optionalDependencies?: Record<string, string>;
};

/** What both consumers pass to compileModule (the only call whose options the test fixes). */
const MODULE_OPTIONS = `{ target: 'software', fusion: true, seed: 0 }`;

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a command; never throws, so a failure's output reaches the assertion message. */
function run(cmd: string, args: readonly string[], cwd: string, env: NodeJS.ProcessEnv = process.env): Promise<Run> {
  return new Promise((done) => {
    execFile(cmd, args, { cwd, env, maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
      done({ code, stdout, stderr });
    });
  });
}

const show = (r: Run): string => `exit ${r.code}\n--- stdout\n${r.stdout}\n--- stderr\n${r.stderr}`;

/** The environment of a user's shell: no PATH entry into this checkout's node_modules/.bin. */
function userEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, npm_config_update_notifier: 'false', npm_config_fund: 'false', npm_config_audit: 'false' };
  env.PATH = (env.PATH ?? '').split(delimiter).filter((p) => !p.startsWith(ROOT)).join(delimiter);
  // Nor this checkout's own npm settings (.npmrc's onnxruntime-node-install, which npm hands to
  // child processes as npm_config_*): a user's project has none of them.
  for (const k of Object.keys(env)) if (k.startsWith('npm_package_') || k === 'INIT_CWD' || k === 'npm_config_onnxruntime_node_install') delete env[k];
  return env;
}

/**
 * A clean checkout in `to`: the files git tracks or would track (the working tree's versions),
 * without dist/, and this checkout's node_modules linked, as after `npm ci` but before `prepare`.
 */
function stageCheckout(to: string): void {
  const listed = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: ROOT, maxBuffer: 64 * 1024 * 1024 });
  for (const f of listed.toString('utf8').split('\0')) {
    if (!f || f.startsWith('dist/') || !existsSync(join(ROOT, f))) continue;
    mkdirSync(dirname(join(to, f)), { recursive: true });
    copyFileSync(join(ROOT, f), join(to, f));
  }
  symlinkSync(join(ROOT, 'node_modules'), join(to, 'node_modules'), 'dir');
}

/** node_modules/<name> → this checkout's copy, as npm would have installed it. */
function linkPackage(nodeModules: string, name: string): void {
  const from = join(ROOT, 'node_modules', name);
  const to = join(nodeModules, name);
  mkdirSync(dirname(to), { recursive: true });
  symlinkSync(realpathSync(from), to, 'dir');
}

const TS_CONSUMER = `
import { readFileSync } from 'node:fs';
import {
  compileFrontEnd, nodeHost, hasErrors, renderAll, summarize, compileModule, ModelSession, lowerModel, verifyGraph, TARGETS,
  type CheckedModel, type CompiledModule, type Diagnostic, type FrontEndResult, type Graph, type ModelSummary,
  type ModuleManifest, type ModuleOptions, type SessionOptions, type WeightTensor,
} from 'cnnc';
import * as browser from 'cnnc/browser';

const path = 'node_modules/cnnc/examples/lenet5.cnn';
const front: FrontEndResult = compileFrontEnd(path, readFileSync(path, 'utf8'), nodeHost);
const diagnostics: readonly Diagnostic[] = front.diagnostics;
if (hasErrors(diagnostics)) throw new Error(renderAll(diagnostics, front.sources, 'short'));
const model: CheckedModel = front.models[0];
const summary: ModelSummary = summarize(model, front.sources);
const params: number = summary.totalParams;
// @ts-expect-error a count is a number: this line proves the types are real, not \`any\`
const notAString: string = summary.totalParams;

const options: ModuleOptions = ${MODULE_OPTIONS};
const compiled: CompiledModule = compileModule(model, options);
const manifest: ModuleManifest = compiled.manifest;
const forward: number = manifest.dispatches.forward;
const graph: Graph = lowerModel(model, { mode: 'infer' });
const problems: string[] = verifyGraph(graph);
const software: boolean = TARGETS.software.software;

let session: ModelSession | undefined;
const sessionOptions: SessionOptions = { batch: 64, train: true };
// @ts-expect-error a device is a GPUDevice: the WebGPU types reach the consumer (else this is \`any\`)
const notADevice: SessionOptions['device'] = 5;
export async function train(x: Float32Array, labels: Float32Array): Promise<Record<string, WeightTensor>> {
  session = await ModelSession.create(model, sessionOptions);
  const loss: number | undefined = await session.trainStep(x, labels, 64);
  const logits: Float32Array = await session.forward(x, 64);
  const weights = await session.getWeights();
  await session.destroy();
  return { ...weights, loss: { shape: [], data: new Float32Array([loss ?? logits[0]]) } };
}

// The browser entry: the same front end with sources from a map, and the same classes.
const text = readFileSync(path, 'utf8');
const inBrowser: browser.FrontEndResult = browser.compileFrontEnd('lenet5.cnn', text, browser.memoryHost({ 'lenet5.cnn': text }));
const browserSummary: browser.ModelSummary = browser.summarize(inBrowser.models[0], inBrowser.sources);
const sameSession: browser.ModelSession | undefined = session;
const browserModule: browser.CompiledModule = browser.compileModule(inBrowser.models[0], ${MODULE_OPTIONS});
// @ts-expect-error the browser entry reads no files
browser.nodeHost;

export const facts = { params, notAString, notADevice, forward, problems, software, browserSummary, sameSession, browserModule };
`;

const JS_CONSUMER = `
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as cnnc from 'cnnc';
import * as browser from 'cnnc/browser';

const root = dirname(fileURLToPath(import.meta.resolve('cnnc/package.json')));
const file = join(root, 'examples', 'lenet5.cnn');
const front = cnnc.compileFrontEnd(file, readFileSync(file, 'utf8'), cnnc.nodeHost);
if (cnnc.hasErrors(front.diagnostics)) throw new Error(cnnc.renderAll(front.diagnostics, front.sources, 'short'));
const summary = cnnc.summarize(front.models[0], front.sources);
console.log('parameters: ' + summary.totalParams.toLocaleString('en-US'));
const compiled = cnnc.compileModule(front.models[0], ${MODULE_OPTIONS});
const files = cnnc.moduleFiles(compiled, 'lenet5.cnn');

const text = readFileSync(file, 'utf8');
const inBrowser = browser.compileFrontEnd('lenet5.cnn', text, browser.memoryHost({ 'lenet5.cnn': text }));

let deepImport = 'allowed';
try {
  await import('cnnc/dist/cli/main.js');
} catch (e) {
  deepImport = e.code;
}
console.log(JSON.stringify({
  params: summary.totalParams,
  dispatches: compiled.manifest.dispatches,
  runtime: files.filter((f) => f.path.startsWith('cnnc-runtime.')).map((f) => [f.path, f.text.length > 0]),
  browserParams: browser.summarize(inBrowser.models[0], inBrowser.sources).totalParams,
  browserHasNodeHost: 'nodeHost' in browser,
  sameSession: browser.ModelSession === cnnc.ModelSession,
  deepImport,
}));
`;

describe('the packed package in a fresh project', () => {
  let dir: string;
  let consumer: string;
  let packed: string[] = [];
  const env = userEnv();

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'cnnc-pack-'));
    const checkout = join(dir, 'checkout');
    stageCheckout(checkout);
    // `prepare` builds dist/ first, as it does for npm publish and for installs from git.
    const pack = await run('npm', ['pack', '--json', '--pack-destination', dir], checkout, env);
    if (pack.code !== 0) throw new Error(`npm pack failed:\n${show(pack)}`);
    // The JSON report follows whatever `prepare` printed.
    const [info] = JSON.parse(pack.stdout.slice(pack.stdout.search(/^\[/m))) as { filename: string; files: { path: string }[] }[];
    packed = info.files.map((f) => f.path);

    consumer = join(dir, 'consumer');
    const nodeModules = join(consumer, 'node_modules');
    const installed = join(nodeModules, PKG.name);
    mkdirSync(installed, { recursive: true });
    const untar = await run('tar', ['-xzf', join(dir, info.filename), '-C', installed, '--strip-components=1'], dir);
    if (untar.code !== 0) throw new Error(`tar failed:\n${show(untar)}`);
    for (const name of [...Object.keys(PKG.dependencies), ...Object.keys(PKG.optionalDependencies ?? {})]) {
      if (existsSync(join(ROOT, 'node_modules', name))) linkPackage(nodeModules, name);
    }
    // The consumer's own tools.
    linkPackage(nodeModules, 'typescript');
    linkPackage(nodeModules, '@types/node');
    // What npm does for `bin`: a link in node_modules/.bin to the file the installed package names.
    const bin = (JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8')) as { bin: Record<string, string> }).bin;
    mkdirSync(join(nodeModules, '.bin'));
    for (const [name, file] of Object.entries(bin)) {
      chmodSync(join(installed, file), 0o755);
      symlinkSync(join('..', PKG.name, file), join(nodeModules, '.bin', name));
    }

    writeFileSync(join(consumer, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module', dependencies: { [PKG.name]: `file:../${info.filename}` } }, null, 2));
    const compilerOptions = { strict: true, module: 'NodeNext', moduleResolution: 'NodeNext', target: 'ES2022', types: ['node'], noEmit: true };
    // A Node project as `tsc --init` makes one: no DOM, libraries' declarations not checked.
    writeFileSync(join(consumer, 'tsconfig.node.json'), JSON.stringify({ compilerOptions: { ...compilerOptions, lib: ['ES2022'], skipLibCheck: true }, files: ['consumer.ts'] }));
    // Every declaration file checked too (@webgpu/types needs the DOM library for that).
    writeFileSync(join(consumer, 'tsconfig.libs.json'), JSON.stringify({ compilerOptions: { ...compilerOptions, lib: ['ES2022', 'DOM'], skipLibCheck: false }, files: ['consumer.ts'] }));
    writeFileSync(join(consumer, 'consumer.ts'), TS_CONSUMER);
    writeFileSync(join(consumer, 'consumer.mjs'), JS_CONSUMER);
  }, 180_000);

  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('ships the build, declarations, CLI, examples and grammar, and no tests', () => {
    for (const f of ['package.json', 'README.md', 'bin/cnnc.js', 'dist/index.js', 'dist/index.d.ts', 'dist/browser.js', 'dist/browser.d.ts', 'dist/cli/main.js', 'examples/lenet5.cnn', 'grammar/cnn.ebnf']) {
      expect(packed).toContain(f);
    }
    expect(packed.filter((f) => /^(test|bench|scripts|probes|node_modules|runs|out)\//.test(f) || /\.test\.[jt]s$/.test(f))).toEqual([]);
    // Every built module has its declarations beside it.
    const js = packed.filter((f) => f.startsWith('dist/') && f.endsWith('.js'));
    expect(js.length).toBeGreaterThan(50);
    expect(js.filter((f) => !packed.includes(f.replace(/\.js$/, '.d.ts')))).toEqual([]);
    // Source maps point at sources that ship with them.
    const maps = packed.filter((f) => f.endsWith('.js.map'));
    const unresolved = maps.flatMap((m) => {
      const { sources } = JSON.parse(readFileSync(join(consumer, 'node_modules', PKG.name, m), 'utf8')) as { sources: string[] };
      return sources.map((s) => join(dirname(m), s)).filter((s) => !packed.includes(s));
    });
    expect(unresolved).toEqual([]);
  });

  it.each(['node', 'libs'])('type-checks a strict NodeNext TypeScript consumer of cnnc and cnnc/browser (tsconfig.%s.json)', async (config) => {
    const tsc = await run(process.execPath, [join(consumer, 'node_modules/typescript/bin/tsc'), '-p', `tsconfig.${config}.json`], consumer, env);
    expect(tsc.code, show(tsc)).toBe(0);
  }, 60_000);

  it('runs a JavaScript consumer: LeNet-5 checks with 61,706 parameters and compiles to 7 + 21 dispatches', async () => {
    const r = await run(process.execPath, ['consumer.mjs'], consumer, env);
    expect(r.code, show(r)).toBe(0);
    const [first, json] = r.stdout.trim().split('\n');
    expect(first).toBe('parameters: 61,706');
    expect(JSON.parse(json)).toEqual({
      params: 61706,
      dispatches: { forward: 7, trainStep: 21 },
      runtime: [['cnnc-runtime.js', true], ['cnnc-runtime.d.ts', true]],
      browserParams: 61706,
      browserHasNodeHost: false,
      sameSession: true,
      deepImport: 'ERR_PACKAGE_PATH_NOT_EXPORTED',
    });
  }, 60_000);

  it('runs `npx cnnc check` from the consumer', async () => {
    const clean = await run('npx', ['--no', 'cnnc', 'check', 'node_modules/cnnc/examples/lenet5.cnn'], consumer, env);
    expect(clean.code, show(clean)).toBe(0);
    expect(clean.stdout + clean.stderr).toBe('');
    const broken = await run('npx', ['--no', 'cnnc', 'check', '--format', 'short', 'node_modules/cnnc/examples/errors/E0203-shapes-differ-at-add.cnn'], consumer, env);
    expect(broken.code, show(broken)).toBe(1);
    expect(broken.stdout + broken.stderr).toMatch(/E0203-shapes-differ-at-add\.cnn:4:17: error\[E0203\]/);
  }, 60_000);

  it('bundles the installed cnnc/browser for a browser, and its built graph reaches nothing of Node', async () => {
    const r = await build({
      stdin: { contents: `export * from 'cnnc/browser';`, resolveDir: consumer, loader: 'js' },
      absWorkingDir: consumer,
      bundle: true,
      platform: 'browser',
      format: 'esm',
      write: false,
      metafile: true,
      outfile: 'bundle.js',
      logLevel: 'silent',
    });
    expect(Object.values(r.metafile.outputs)[0].imports).toEqual([]);
    expect(Object.keys(r.metafile.inputs)).toContain('node_modules/cnnc/dist/browser.js');
    const g = importGraph(join(consumer, 'node_modules/cnnc/dist/browser.js'), join(consumer, 'node_modules/cnnc'));
    expect(g.files).toContain('dist/engine/session.js');
    expect(g.external.filter((x) => isNodeBuiltin(x.specifier))).toEqual([]);
    expect(g.nodeGlobals).toEqual([]);
  });
});
