import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { nodeHost } from '../src/host.js';
import { LanguageService } from '../src/language/service.js';

/**
 * Editor responsiveness: an edit to examples/resnet50.cnn, then what an editor asks for at once
 * (diagnostics, the inlay hints of the whole file, a hover), through the LanguageService that
 * `cnnc lsp` answers from. Median and 95th percentile of many edits. Writes bench/results/language.json.
 */
const path = 'examples/resnet50.cnn';
const text = readFileSync(path, 'utf8');
const ls = new LanguageService(nodeHost);
const RUNS = 100;
const times: number[] = [];
for (let i = 0; i < RUNS + 10; i++) {
  // A different document each time (a comment typed at the end), so nothing is served from cache.
  const edited = `${text}\n# edit ${i}\n`;
  const t0 = performance.now();
  ls.update(path, edited);
  ls.diagnostics(path);
  ls.inlayHints(path);
  ls.hover(path, edited.indexOf('conv(') + 1);
  if (i >= 10) times.push(performance.now() - t0);
}
times.sort((a, b) => a - b);
const result = { file: path, edits: RUNS, medianMs: +times[times.length >> 1].toFixed(2), p95Ms: +times[Math.floor(times.length * 0.95)].toFixed(2) };
console.log(`language service, ${path}: edit → diagnostics + inlay hints + hover: median ${result.medianMs} ms, p95 ${result.p95Ms} ms`);
mkdirSync('bench/results', { recursive: true });
writeFileSync('bench/results/language.json', JSON.stringify(result, null, 2) + '\n');
