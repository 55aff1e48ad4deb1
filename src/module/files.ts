import type { CompiledModule } from './compile-module.js';
import { renderDeclarations, renderModuleJs } from './render.js';

/** One file of a module, relative to its folder. */
export interface ModuleFile {
  readonly path: string;
  readonly text: string;
  /** Written only when the folder has no such file (never overwrite a user's package.json). */
  readonly unlessPresent?: boolean;
}

/**
 * Marks the folder as ES modules, so Node loads `<model>.js` as one even inside a CommonJS
 * project (Node before 20.19 does not detect module syntax; later ones warn when they do).
 */
const PACKAGE_JSON = JSON.stringify({ type: 'module', private: true, description: 'written by cnnc compile -o' }, null, 2) + '\n';

/** The runtime files copied beside every module (built by scripts/build-runtime.mjs). */
export const RUNTIME_FILES = ['cnnc-runtime.js', 'cnnc-runtime.d.ts'] as const;
export type RuntimeFile = (typeof RUNTIME_FILES)[number];

/**
 * Every file of a compiled module: the ES module, its types, the manifest, the WGSL and the
 * runtime, whose text the caller supplies; `sourceName` is the .cnn file's name, for the headers (Node reads it from the package's build, write-module.ts;
 * a page bundles it). Kept free of the file system so a browser can zip a module it compiled.
 */
export function moduleFilesWith(c: CompiledModule, sourceName: string, runtime: (name: RuntimeFile) => string): ModuleFile[] {
  const name = c.manifest.model;
  return [
    { path: `${name}.js`, text: renderModuleJs(c, sourceName) },
    { path: `${name}.d.ts`, text: renderDeclarations(c, sourceName) },
    { path: `${name}.manifest.json`, text: JSON.stringify(c.manifest, null, 2) + '\n' },
    ...c.shaders.map((text, i) => ({ path: c.manifest.shaderFiles[i], text })),
    ...RUNTIME_FILES.map((f) => ({ path: f, text: runtime(f) })),
    { path: 'package.json', text: PACKAGE_JSON, unlessPresent: true },
  ];
}
