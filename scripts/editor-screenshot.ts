// The editor picture of the README (docs/images/editor.png): a .cnn file as the VS Code extension
// shows it — colours from its TextMate grammar (run by vscode-textmate, as VS Code runs it), the
// language service's inlay hints, one hover and one diagnostic with its quick fix — laid out as
// HTML and photographed by headless Chromium. The data are the extension's; the frame is ours.
//
//   npx tsx scripts/editor-screenshot.ts [docs/images/editor.png]
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { memoryHost } from '../src/memory-host.js';
import { LanguageService } from '../src/language/service.js';

const require = createRequire(import.meta.url);
const oniguruma = require('vscode-oniguruma') as typeof import('vscode-oniguruma');
const textmate = require('vscode-textmate') as typeof import('vscode-textmate');
const out = process.argv[2] ?? 'docs/images/editor.png';

// LeNet-5 (its model, without the train section) with a stride that drops a row: a warning, so the
// shapes go on and every stage still has its hint.
const text = readFileSync('examples/lenet5.cnn', 'utf8').split('\n').slice(0, 11).join('\n').replace('conv(16, 5) -> relu -> maxpool(2)         # 16×5×5', 'conv(16, 5, stride: 2) -> relu') + '\n}\n';
const ls = new LanguageService(memoryHost({ 'lenet5.cnn': text }));
const hints = ls.inlayHints('lenet5.cnn');
const diagnostic = ls.diagnostics('lenet5.cnn')[0];
const hoverAt = text.indexOf('conv(6, 5') + 1;
const hover = ls.hover('lenet5.cnn', hoverAt);

const wasm = readFileSync(require.resolve('vscode-oniguruma/release/onig.wasm'));
await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
const registry = new textmate.Registry({
  onigLib: Promise.resolve({ createOnigScanner: (s: string[]) => new oniguruma.OnigScanner(s), createOnigString: (s: string) => new oniguruma.OnigString(s) }),
  loadGrammar: async () => textmate.parseRawGrammar(readFileSync('editors/vscode/syntaxes/cnn.tmLanguage.json', 'utf8'), 'cnn.tmLanguage.json'),
});
const grammar = (await registry.loadGrammar('source.cnn'))!;

// VS Code's Dark Modern colours for the scopes the grammar gives.
const COLOURS: [string, string][] = [
  ['comment', '#6a9955'], ['string', '#ce9178'], ['keyword.operator', '#d4d4d4'], ['keyword', '#c586c0'], ['constant.language', '#569cd6'],
  ['constant.numeric', '#b5cea8'], ['support.function', '#dcdcaa'], ['entity.name.function', '#4ec9b0'], ['variable.parameter', '#9cdcfe'],
];
const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const colour = (scopes: readonly string[]) => COLOURS.find(([p]) => scopes.some((s) => s.startsWith(p)))?.[1] ?? '#d4d4d4';

let state = textmate.INITIAL;
let offset = 0;
const rows = text.split('\n').slice(0, -1).map((line, n) => {
  const r = grammar.tokenizeLine(line, state);
  state = r.ruleStack;
  const lineStart = offset;
  offset += line.length + 1;
  let html = '';
  for (const t of r.tokens) {
    const from = lineStart + t.startIndex;
    const to = lineStart + t.endIndex;
    // Cut the token where hints go (just after a layer call) and where the diagnostic's span starts and ends.
    const cuts = [...new Set([from, to, ...hints.map((h) => h.offset), ...(diagnostic ? [diagnostic.span.start, diagnostic.span.end] : [])])].filter((c) => c >= from && c <= to).sort((a, b) => a - b);
    for (let i = 0; i + 1 < cuts.length; i++) {
      const [a, b] = [cuts[i], cuts[i + 1]];
      let piece = esc(text.slice(a, b));
      if (diagnostic && diagnostic.span.start <= a && b <= diagnostic.span.end) piece = `<span class="squiggle">${piece}</span>`;
      html += `<span style="color:${colour(t.scopes)}">${piece}</span>`;
      for (const h of hints) if (h.offset === b) html += `<span class="hint">${esc(h.label)}</span>`;
    }
  }
  return `<div class="row"><span class="gutter">${n + 1}</span><span class="code">${html || '&nbsp;'}</span></div>`;
});
const hoverLine = text.slice(0, hoverAt).split('\n').length;
const diagLine = diagnostic ? text.slice(0, diagnostic.span.start).split('\n').length : 0;
const md = (s: string) => esc(s).replace(/\*\*(.+?)\*\*/g, '<b>$1</b>').replace(/`([^`]+)`/g, '<code>$1</code>').split('\n').filter(Boolean).map((l) => `<div>${l.replace(/^- /, '• ')}</div>`).join('');
const page = `<!DOCTYPE html><html><head><meta charset="utf-8"><style>
body { margin: 0; background: #1f1f1f; font: 14px/20px "DejaVu Sans Mono", monospace; color: #d4d4d4; width: 1180px; }
.tab { background: #181818; color: #fff; padding: 8px 16px; font: 13px sans-serif; border-bottom: 1px solid #2b2b2b; }
.editor { position: relative; padding: 8px 0 16px; }
.row { white-space: pre; height: 20px; } .gutter { display: inline-block; width: 44px; text-align: right; padding-right: 18px; color: #6e7681; }
.hint { background: #2d2d2d; color: #969696; border-radius: 4px; padding: 0 4px; margin-left: 6px; font-size: 12.5px; }
.squiggle { text-decoration: underline wavy #cca700; text-decoration-skip-ink: none; }
.popup { position: absolute; background: #252526; border: 1px solid #454545; padding: 8px 12px; font: 13px/19px sans-serif; color: #cccccc; box-shadow: 0 2px 8px #000a; max-width: 620px; white-space: normal; }
.popup code { font: 12.5px "DejaVu Sans Mono", monospace; color: #d7ba7d; } .popup .err { color: #cca700; font-weight: bold; } .popup .help { color: #75beff; }
</style></head><body><div class="tab">lenet5.cnn — cnnc</div><div class="editor">${rows.join('')}
<div class="popup" style="left: 760px; top: ${8 + 20 * hoverLine - 10}px; max-width: 400px">${hover ? md(hover.text) : ''}</div>
${diagnostic ? `<div class="popup" style="left: 70px; top: ${8 + 20 * (text.split('\n').length - 1) + 10}px"><span class="err">${diagnostic.severity}[${diagnostic.code}]</span> ${esc(diagnostic.message)}${diagnostic.help ? `<div class="help">help: ${esc(diagnostic.help)}</div>` : ''}${diagnostic.fixes?.length ? `<div>Quick fix: ${esc(diagnostic.fixes[0].title)}</div>` : ''}</div>` : ''}
</div></body></html>`;
const dir = mkdtempSync(join(tmpdir(), 'cnnc-editor-'));
writeFileSync(join(dir, 'editor.html'), page);
execFileSync('chromium', ['--headless', '--no-sandbox', '--disable-gpu', '--hide-scrollbars', `--screenshot=${out}`, '--window-size=1180,400', `file://${join(dir, 'editor.html')}`], { stdio: 'ignore' });
process.stdout.write(`${out}: ${hints.length} inlay hints, hover on line ${hoverLine}, ${diagnostic ? `${diagnostic.code} on line ${diagLine}` : 'no diagnostic'}\n`);
