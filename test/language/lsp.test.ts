import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createProtocolConnection,
  InitializeRequest,
  InitializedNotification,
  DidOpenTextDocumentNotification,
  DidChangeTextDocumentNotification,
  PublishDiagnosticsNotification,
  HoverRequest,
  InlayHintRequest,
  CompletionRequest,
  DefinitionRequest,
  DocumentSymbolRequest,
  CodeActionRequest,
  DocumentFormattingRequest,
  ReferencesRequest,
  PrepareRenameRequest,
  RenameRequest,
  SignatureHelpRequest,
  type SignatureHelp,
  type WorkspaceEdit,
  type Range,
  type TextEdit,
  type CodeAction,
  ShutdownRequest,
  ExitNotification,
  type ProtocolConnection,
  type PublishDiagnosticsParams,
  type Hover,
  type InlayHint,
  type CompletionItem,
  type Location,
  type DocumentSymbol,
} from 'vscode-languageserver-protocol/node.js';
import { StreamMessageReader, StreamMessageWriter } from 'vscode-languageserver-protocol/node.js';
import { compileFrontEnd } from '../../src/compiler.js';
import { positionOf } from '../../src/diagnostics/source.js';
import { nodeHost } from '../../src/host.js';

/**
 * `cnnc lsp` as an editor runs it: a child process speaking JSON-RPC over stdio, driven by the
 * protocol's own client library. Diagnostics, hover, inlay hints, completion, definition and the
 * outline, on the examples.
 */
let child: ChildProcess;
let conn: ProtocolConnection;
const diagnostics = new Map<string, PublishDiagnosticsParams[]>();
const waiters: (() => void)[] = [];

beforeAll(async () => {
  child = spawn(process.execPath, ['--import', 'tsx', 'scripts/cnnc-dev.ts', 'lsp', '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'] });
  conn = createProtocolConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
  conn.onNotification(PublishDiagnosticsNotification.type, (p) => {
    diagnostics.set(p.uri, [...(diagnostics.get(p.uri) ?? []), p]);
    for (const w of waiters.splice(0)) w();
  });
  conn.listen();
  const init = await conn.sendRequest(InitializeRequest.type, { processId: process.pid, rootUri: pathToFileURL(process.cwd()).href, capabilities: {} });
  expect(init.capabilities.hoverProvider).toBe(true);
  await conn.sendNotification(InitializedNotification.type, {});
}, 60_000);

afterAll(async () => {
  await conn?.sendRequest(ShutdownRequest.type);
  await conn?.sendNotification(ExitNotification.type);
  conn?.dispose();
  child?.kill();
});

const uriOf = (path: string) => pathToFileURL(resolve(path)).href;

/** Opens a document and waits for its diagnostics (the `count`-th publication for it). */
async function open(path: string, text = readFileSync(path, 'utf8')): Promise<PublishDiagnosticsParams> {
  const uri = uriOf(path);
  await conn.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'cnn', version: 1, text } });
  return nextDiagnostics(uri, (diagnostics.get(uri)?.length ?? 0) + 1);
}

async function nextDiagnostics(uri: string, count: number): Promise<PublishDiagnosticsParams> {
  const deadline = Date.now() + 20_000;
  while ((diagnostics.get(uri)?.length ?? 0) < count) {
    if (Date.now() > deadline) throw new Error(`no diagnostics for ${uri}`);
    await new Promise<void>((r) => {
      waiters.push(r);
      setTimeout(r, 200);
    });
  }
  return diagnostics.get(uri)![count - 1];
}

describe('cnnc lsp', { timeout: 60_000 }, () => {
  it('publishes the same codes and ranges as cnnc check for every broken example', async () => {
    const files = readdirSync('examples/errors').filter((f) => f.endsWith('.cnn') && !f.startsWith('E0117'));
    expect(files.length).toBeGreaterThan(30);
    for (const f of files) {
      const path = `examples/errors/${f}`;
      const text = readFileSync(path, 'utf8');
      const got = await open(path, text);
      const front = compileFrontEnd(resolve(path), text, nodeHost);
      const want = front.diagnostics
        .filter((d) => d.span.file === resolve(path))
        .map((d) => {
          const src = front.sources.get(d.span.file)!;
          const [s, e] = [positionOf(src, d.span.start), positionOf(src, d.span.end)];
          return `${d.code} ${s.line - 1}:${s.column - 1}-${e.line - 1}:${e.column - 1}`;
        });
      expect(got.diagnostics.map((d) => `${d.code} ${d.range.start.line}:${d.range.start.character}-${d.range.end.line}:${d.range.end.character}`), f).toEqual(want);
      expect(got.diagnostics.length, f).toBeGreaterThan(0);
    }
  });

  it('gives notes as related locations and the fix in the message', async () => {
    const path = 'examples/errors/E0203-shapes-differ-at-add.cnn';
    const d = (await nextDiagnostics(uriOf(path), 1)).diagnostics[0];
    expect(d.code).toBe('E0203');
    expect(d.relatedInformation?.length).toBeGreaterThan(0);
    expect(d.message).toMatch(/help: /);
  });

  it('hover, inlay hints, completion and the outline on LeNet-5; diagnostics follow an edit', async () => {
    const path = 'examples/lenet5.cnn';
    const text = readFileSync(path, 'utf8');
    const uri = uriOf(path);
    expect((await open(path, text)).diagnostics).toEqual([]);
    const lines = text.split('\n');
    const line = lines.findIndex((l) => l.includes('conv(16, 5)'));
    const hover = (await conn.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line, character: lines[line].indexOf('conv(16') + 1 } })) as Hover;
    expect((hover.contents as { value: string }).value).toContain('`conv2` → `16×10×10` · 2,416 parameters · 240,000 MACs');
    const hints = (await conn.sendRequest(InlayHintRequest.type, { textDocument: { uri }, range: { start: { line: 0, character: 0 }, end: { line: lines.length, character: 0 } } })) as InlayHint[];
    const pool = lines.findIndex((l) => l.includes('# 6×14×14'));
    expect(hints.filter((h) => h.position.line === pool).map((h) => h.label)).toEqual(['6×28×28', '6×28×28', '6×14×14']);
    const items = (await conn.sendRequest(CompletionRequest.type, { textDocument: { uri }, position: { line, character: lines[line].indexOf('conv(16, 5') + 'conv(16, 5'.length } })) as CompletionItem[];
    expect(items.map((i) => i.label)).toEqual(expect.arrayContaining(['stride', 'pad', 'groups']));
    const outline = (await conn.sendRequest(DocumentSymbolRequest.type, { textDocument: { uri } })) as DocumentSymbol[];
    expect(outline.map((s) => s.name)).toEqual(['lenet5']);
    // An edit that breaks a shape: the diagnostic arrives after the debounce, with its range.
    const broken = text.replace('dense(120)', 'conv(3, 3)');
    await conn.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri, version: 2 }, contentChanges: [{ text: broken }] });
    const after = await nextDiagnostics(uri, 2);
    expect(after.diagnostics.map((d) => d.code)).toEqual(['E0207']);
    expect(after.diagnostics[0].range.start.line).toBe(broken.split('\n').findIndex((l) => l.includes('conv(3, 3)')));
  });

  it('offers the fix of a misspelt layer as a quick fix', async () => {
    const path = 'examples/errors/E0101-misspelled-layer.cnn';
    const d = (await nextDiagnostics(uriOf(path), 1)).diagnostics.find((x) => x.code === 'E0101')!;
    const actions = (await conn.sendRequest(CodeActionRequest.type, { textDocument: { uri: uriOf(path) }, range: d.range, context: { diagnostics: [d] } })) as CodeAction[];
    const edit = actions[0]?.edit?.changes?.[uriOf(path)]?.[0];
    expect(actions[0]?.kind).toBe('quickfix');
    const line = readFileSync(path, 'utf8').split('\n')[edit!.range.start.line];
    const fixed = line.slice(0, edit!.range.start.character) + edit!.newText + line.slice(edit!.range.end.character);
    expect(fixed).not.toBe(line);
    expect(d.message).toContain(`did you mean \`${edit!.newText}\`?`);
  });

  it('formats a document as cnnc fmt does', async () => {
    const path = 'test/fixtures/messy-for-lsp.cnn';
    const text = 'model m {\n input x: 1 x 4 x 4\n x->flatten->dense(2)   # out\n}\n';
    await open(path, text);
    const edits = (await conn.sendRequest(DocumentFormattingRequest.type, { textDocument: { uri: uriOf(path) }, options: { tabSize: 2, insertSpaces: true } })) as TextEdit[];
    expect(edits).toHaveLength(1);
    expect(edits[0].newText).toBe('model m {\n  input x: 1 x 4 x 4\n  x -> flatten -> dense(2)  # out\n}\n');
    expect(edits[0].range.end).toEqual({ line: 4, character: 0 });
  });

  it('goes to a block defined in an imported file', async () => {
    const path = 'examples/squeezenet.cnn';
    const text = readFileSync(path, 'utf8');
    await open(path, text);
    const lines = text.split('\n');
    const line = lines.findIndex((l) => /\bfire\(/.test(l) && !l.trim().startsWith('#') && !l.includes('import'));
    const loc = (await conn.sendRequest(DefinitionRequest.type, { textDocument: { uri: uriOf(path) }, position: { line, character: lines[line].search(/\bfire\(/) + 1 } })) as Location;
    expect(loc.uri).toBe(uriOf('examples/blocks/fire.cnn'));
    const fire = readFileSync('examples/blocks/fire.cnn', 'utf8').split('\n')[loc.range.start.line];
    expect(fire.slice(loc.range.start.character, loc.range.end.character)).toBe('fire');
  });

  it('finds the references of a block across an import, renames a value, and helps with a signature', async () => {
    const path = resolve('examples/squeezenet.cnn');
    const text = readFileSync(path, 'utf8');
    await open(path, text);
    const lines = text.split('\n');
    const line = lines.findIndex((l) => /fire\(16, 64, 64\)/.test(l));
    const position = { line, character: lines[line].indexOf('fire(') + 1 };
    const refs = (await conn.sendRequest(ReferencesRequest.type, { textDocument: { uri: uriOf(path) }, position, context: { includeDeclaration: true } })) as Location[];
    // The declaration in blocks/fire.cnn, the import, and the eight uses.
    expect(refs.filter((r) => r.uri.endsWith('blocks/fire.cnn'))).toHaveLength(1);
    expect(refs.filter((r) => r.uri === uriOf(path))).toHaveLength(9);
    const uses = (await conn.sendRequest(ReferencesRequest.type, { textDocument: { uri: uriOf(path) }, position, context: { includeDeclaration: false } })) as Location[];
    expect(uses).toHaveLength(9);

    const lenet = resolve('examples/lenet5.cnn');
    const src = readFileSync(lenet, 'utf8');
    await open(lenet, src);
    const ll = src.split('\n');
    const input = ll.findIndex((l) => l.includes('input image'));
    const at = { line: input, character: ll[input].indexOf('image') + 1 };
    const range = (await conn.sendRequest(PrepareRenameRequest.type, { textDocument: { uri: uriOf(lenet) }, position: at })) as Range;
    expect(range.start).toEqual({ line: input, character: ll[input].indexOf('image') });
    const edit = (await conn.sendRequest(RenameRequest.type, { textDocument: { uri: uriOf(lenet) }, position: at, newName: 'digit' })) as WorkspaceEdit;
    const changes = edit.changes![uriOf(lenet)];
    expect(changes.length).toBeGreaterThanOrEqual(2);
    expect(changes.every((c) => c.newText === 'digit' && ll[c.range.start.line].slice(c.range.start.character, c.range.end.character) === 'image')).toBe(true);
    await expect(conn.sendRequest(RenameRequest.type, { textDocument: { uri: uriOf(lenet) }, position: at, newName: 'model' })).rejects.toThrow(/`model` is a keyword/);

    const conv = ll.findIndex((l) => l.includes('conv(16, 5)'));
    const help = (await conn.sendRequest(SignatureHelpRequest.type, { textDocument: { uri: uriOf(lenet) }, position: { line: conv, character: ll[conv].indexOf('conv(16, 5') + 'conv(16, '.length } })) as SignatureHelp;
    expect(help.signatures[0].label).toMatch(/^conv\(out, kernel, stride = 1/);
    expect(help.activeParameter).toBe(1);
  });
});
