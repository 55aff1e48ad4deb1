import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
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

/**
 * The runtime files copied beside every module, built from src/runtime/module-entry.ts into the
 * package's `dist/module-runtime/` (scripts/build-runtime.mjs). The package root is two levels
 * above this file both in the sources (src/module/) and in the build (dist/module/), so the same
 * URL works from either.
 */
const RUNTIME_DIR = new URL('../../dist/module-runtime/', import.meta.url);
export const RUNTIME_FILES = ['cnnc-runtime.js', 'cnnc-runtime.d.ts'] as const;

/** Every file of a compiled module: the ES module, its types, the manifest, the WGSL and the runtime. */
export function moduleFiles(c: CompiledModule, source: string): ModuleFile[] {
  const name = c.manifest.model;
  return [
    { path: `${name}.js`, text: renderModuleJs(c, source) },
    { path: `${name}.d.ts`, text: renderDeclarations(c, source) },
    { path: `${name}.manifest.json`, text: JSON.stringify(c.manifest, null, 2) + '\n' },
    ...c.shaders.map((text, i) => ({ path: c.manifest.shaderFiles[i], text })),
    ...RUNTIME_FILES.map((f) => ({ path: f, text: runtimeFile(f) })),
    { path: 'package.json', text: PACKAGE_JSON, unlessPresent: true },
  ];
}

/** Writes the files under `dir`, creating folders; returns the paths written. Throws on I/O errors. */
export function writeModuleFiles(dir: string, files: readonly ModuleFile[]): string[] {
  const written: string[] = [];
  for (const f of files) {
    const path = join(dir, f.path);
    if (f.unlessPresent && existsSync(path)) continue;
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, f.text);
    written.push(path);
  }
  return written;
}

/** A built runtime file; a checkout that was never built has none, which is said plainly. */
function runtimeFile(name: string): string {
  try {
    return readFileSync(new URL(name, RUNTIME_DIR), 'utf8');
  } catch {
    throw new Error(`internal: the module runtime ${name} is not built (run \`npm run build\` in cnnc's folder)`);
  }
}
