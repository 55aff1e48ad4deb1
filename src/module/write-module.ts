import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { CompiledModule } from './compile-module.js';
import { moduleFilesWith, type ModuleFile, type RuntimeFile } from './files.js';

/**
 * The runtime files copied beside every module, built from src/runtime/module-entry.ts into the
 * package's `dist/module-runtime/` (scripts/build-runtime.mjs). The package root is two levels
 * above this file both in the sources (src/module/) and in the build (dist/module/), so the same
 * URL works from either.
 */
const RUNTIME_DIR = new URL('../../dist/module-runtime/', import.meta.url);

/** Every file of a compiled module, with the runtime from this package's build. */
export function moduleFiles(c: CompiledModule, sourceName: string): ModuleFile[] {
  return moduleFilesWith(c, sourceName, runtimeFile);
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
function runtimeFile(name: RuntimeFile): string {
  try {
    return readFileSync(new URL(name, RUNTIME_DIR), 'utf8');
  } catch {
    throw new Error(`internal: the module runtime ${name} is not built (run \`npm run build\` in cnnc's folder)`);
  }
}
