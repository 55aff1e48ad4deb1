import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';
import { build, type BuildFailure, type BuildResult, type Metafile } from 'esbuild';
import { describe, expect, it } from 'vitest';
import * as browser from '../../src/browser.js';
import * as node from '../../src/index.js';
import { importGraph, isNodeBuiltin, packageOf } from './import-graph.js';

/**
 * `cnnc/browser` (src/browser.ts) must run in a browser: nothing it reaches may import a Node
 * built-in or use a Node-only global. Checked twice, independently: by bundling it as a browser
 * bundler would (esbuild, platform browser, nothing external), and by walking its import graph in
 * the sources. Each check is also run on src/index.ts, which does import node:fs, to show that
 * it would catch such an import.
 */

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const at = (path: string): string => fileURLToPath(new URL(`../../${path}`, import.meta.url));
const pkg = JSON.parse(readFileSync(at('package.json'), 'utf8')) as { dependencies: Record<string, string> };

type Bundle = { ok: true; text: string; metafile: Metafile } | { ok: false; errors: string[] };

async function bundleForBrowser(entry: string, format: 'esm' | 'iife' = 'esm'): Promise<Bundle> {
  try {
    const r: BuildResult<{ write: false; metafile: true }> = await build({
      entryPoints: [at(entry)],
      absWorkingDir: ROOT,
      bundle: true,
      platform: 'browser',
      format,
      ...(format === 'iife' ? { globalName: 'cnnc' } : {}),
      write: false,
      metafile: true,
      outfile: 'out/browser-bundle.js',
      logLevel: 'silent',
    });
    return { ok: true, text: r.outputFiles[0].text, metafile: r.metafile };
  } catch (e) {
    return { ok: false, errors: (e as BuildFailure).errors.map((m) => `${m.location?.file ?? '?'}: ${m.text}`) };
  }
}

/** Module loads left in the bundle's text: `from "x"`, `import("x")`, `require("x")` (not `obj.require`). */
function loadsIn(text: string): string[] {
  const found: string[] = [];
  for (const re of [/\bfrom\s*["']([^"']+)["']/g, /\bimport\s*\(\s*["']([^"']+)["']\s*\)/g, /(?<![.\w$])require\s*\(\s*["']([^"']+)["']\s*\)/g, /^\s*import\s*["']([^"']+)["']/gm]) {
    for (const m of text.matchAll(re)) found.push(m[1]);
  }
  return found;
}

describe('cnnc/browser bundled for a browser', () => {
  it('bundles with nothing external and no Node built-in', async () => {
    const b = await bundleForBrowser('src/browser.ts');
    if (!b.ok) throw new Error(`src/browser.ts does not bundle for browsers:\n${b.errors.join('\n')}`);
    const [output] = Object.values(b.metafile.outputs);
    expect(output.imports).toEqual([]);
    const externals = Object.entries(b.metafile.inputs).flatMap(([file, i]) => i.imports.filter((x) => x.external).map((x) => `${file} → ${x.path}`));
    expect(externals).toEqual([]);
    expect(loadsIn(b.text).filter(isNodeBuiltin)).toEqual([]);
    expect(b.text).not.toMatch(/["']node:[a-z_/]+["']/);
    // What it does bundle: the compiler and runtime sources, and chevrotain, picocolors, dagre.
    const inputs = Object.keys(b.metafile.inputs);
    for (const f of ['src/engine/session.ts', 'src/runtime/device.ts', 'src/module/compile-module.ts', 'src/viz/diagram.ts', 'src/memory-host.ts']) expect(inputs).toContain(f);
    expect(inputs).not.toContain('src/host.ts');
    expect(inputs.some((f) => f.includes('node_modules/picocolors/picocolors.browser.js'))).toBe(true);
  });

  it('fails for the Node entry, which reads files (the check has teeth)', async () => {
    const b = await bundleForBrowser('src/index.ts');
    expect(b.ok).toBe(false);
    if (!b.ok) expect(b.errors.join('\n')).toMatch(/node:fs/);
  });

  it('runs the compiler in a context without Node globals, and finds no GPU without navigator.gpu', async () => {
    const b = await bundleForBrowser('src/browser.ts', 'iife');
    if (!b.ok) throw new Error(b.errors.join('\n'));
    // What a page has (no process, Buffer, require, setImmediate); navigator is set per check below.
    const sandbox = vm.createContext({ console, TextEncoder, TextDecoder, URL, setTimeout, clearTimeout, queueMicrotask, performance, structuredClone });
    vm.runInContext(`${b.text}\nglobalThis.cnnc = cnnc;`, sandbox);
    sandbox.text = readFileSync(at('examples/lenet5.cnn'), 'utf8');
    const result = JSON.parse(
      vm.runInContext(
        `const fe = cnnc.compileFrontEnd('lenet5.cnn', text, cnnc.memoryHost({ 'lenet5.cnn': text }));
         const m = cnnc.compileModule(fe.models[0], { target: 'software', fusion: true, seed: 0 });
         JSON.stringify({
           node: typeof process + typeof Buffer + typeof require,
           diagnostics: fe.diagnostics.length,
           params: cnnc.summarize(fe.models[0], fe.sources).totalParams,
           dispatches: m.manifest.dispatches,
           svg: cnnc.renderDiagram(fe.models[0], { expand: 'none' }).includes('<svg'),
         })`,
        sandbox,
      ) as string,
    );
    expect(result).toEqual({ node: 'undefinedundefinedundefined', diagnostics: 0, params: 61706, dispatches: { forward: 7, trainStep: 21 }, svg: true });

    // No navigator.gpu: Dawn cannot load here, and the session says so instead of failing to load.
    const noGpu = (await vm.runInContext(`cnnc.ModelSession.create(fe.models[0], { batch: 1 }).then(() => 'created', (e) => e.name)`, sandbox)) as string;
    expect(noGpu).toBe('NoAdapterError');
    // With navigator.gpu, that is what the session asks for an adapter.
    sandbox.navigator = { gpu: { requestAdapter: async () => null } };
    const fromNavigator = (await vm.runInContext(`cnnc.ModelSession.create(fe.models[0], { batch: 1 }).then(() => 'created', (e) => e.message)`, sandbox)) as string;
    expect(fromNavigator).toMatch(/requestAdapter\(\) returned null/);
  });
});

describe('cnnc/browser import graph in the sources', () => {
  it('reaches no Node built-in and no Node global', () => {
    const g = importGraph(at('src/browser.ts'), ROOT);
    // It walks the real graph: the session, device and module compiler are in it, host.ts is not.
    for (const f of ['src/engine/session.ts', 'src/runtime/device.ts', 'src/module/compile-module.ts', 'src/syntax/parser.ts', 'src/viz/diagram.ts']) expect(g.files).toContain(f);
    expect(g.files).not.toContain('src/host.ts');
    expect(g.external.filter((r) => isNodeBuiltin(r.specifier)).map((r) => `${r.from}: ${r.specifier}`)).toEqual([]);
    expect(g.nodeGlobals.map((r) => `${r.from}: ${r.specifier}`)).toEqual([]);
    // Packages are the library's own dependencies (esbuild above checks that they are browser-safe).
    const packages = new Set(g.external.filter((r) => !r.dynamic).map((r) => packageOf(r.specifier)));
    for (const p of packages) expect(Object.keys(pkg.dependencies)).toContain(p);
    // Node-only code is loaded in one place, when there is no navigator.gpu, by a specifier bundlers leave alone.
    const dynamic = g.external.filter((r) => r.dynamic).map((r) => `${r.from}: ${r.specifier}`);
    expect(dynamic).toEqual(['src/runtime/device.ts: <computed>']);
  });

  it('finds the Node imports of the Node entry (the walk has teeth)', () => {
    const g = importGraph(at('src/index.ts'), ROOT);
    const builtins = new Set(g.external.filter((r) => isNodeBuiltin(r.specifier)).map((r) => r.specifier));
    expect(builtins).toContain('node:fs');
    expect(g.nodeGlobals.map((r) => r.specifier)).toContain('Buffer');
  });
});

describe('the two entries', () => {
  it('cnnc exports everything cnnc/browser does, as the same values', () => {
    const missing = Object.keys(browser).filter((k) => !(k in node));
    expect(missing).toEqual([]);
    for (const [k, v] of Object.entries(browser)) expect(node[k as keyof typeof node], k).toBe(v);
  });

  it('exports no CLI code', () => {
    const all = importGraph(at('src/index.ts'), ROOT).files;
    expect(all.filter((f) => f.startsWith('src/cli/'))).toEqual([]);
  });
});
