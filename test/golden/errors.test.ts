import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compileFrontEnd } from '../../src/compiler.js';
import { CODES } from '../../src/diagnostics/codes.js';
import { renderAll } from '../../src/diagnostics/render.js';
import { nodeHost } from '../../src/host.js';

/**
 * examples/errors/: one broken file per diagnostic code, named after the code, and next to it the
 * expected rendering (short form, then pretty form). `npm run golden` rewrites the expectations;
 * review the diff before committing it.
 */
const dir = 'examples/errors';
const files = readdirSync(dir).filter((f) => f.endsWith('.cnn')).sort();
const update = process.env.UPDATE_GOLDEN === '1';

/** A first line `# check with: --set NAME=VALUE …` gives model parameter values, as the CLI would. */
function optionsOf(text: string): { params?: Record<string, number> } {
  const line = /^# check with: (.*)$/m.exec(text.split('\n')[0] ?? '');
  if (!line) return {};
  return { params: Object.fromEntries([...line[1].matchAll(/--set (\w+)=(\S+)/g)].map((m) => [m[1], Number(m[2])])) };
}

function render(path: string): { text: string; codes: string[] } {
  const source = readFileSync(path, 'utf8');
  const r = compileFrontEnd(path, source, nodeHost, optionsOf(source));
  const text = [renderAll(r.diagnostics, r.sources, 'short'), '', renderAll(r.diagnostics, r.sources, 'pretty', { color: false }), ''].join('\n');
  return { text, codes: r.diagnostics.map((d) => d.code) };
}

describe('diagnostic golden files', () => {
  it.each(files)('%s renders as its .expected file', (file) => {
    const path = `${dir}/${file}`;
    const expectedPath = path.replace(/\.cnn$/, '.expected');
    const { text, codes } = render(path);
    const code = file.slice(0, 5);
    expect(codes, `${file} should produce ${code}`).toContain(code);
    if (update) writeFileSync(expectedPath, text);
    expect(existsSync(expectedPath), `${expectedPath} is missing: run \`npm run golden\``).toBe(true);
    expect(text).toBe(readFileSync(expectedPath, 'utf8'));
  });

  it('every diagnostic code has an example', () => {
    const covered = new Set(files.map((f) => f.slice(0, 5)));
    const missing = Object.keys(CODES).filter((c) => !covered.has(c));
    expect(missing).toEqual([]);
  });
});
