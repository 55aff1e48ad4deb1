import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Command } from 'commander';
import {
  createConnection,
  DiagnosticSeverity,
  InlayHintKind,
  ProposedFeatures,
  SymbolKind,
  CompletionItemKind,
  CodeActionKind,
  ErrorCodes,
  ResponseError,
  TextDocuments,
  TextDocumentSyncKind,
  type Diagnostic as LspDiagnostic,
  type DocumentSymbol as LspSymbol,
  type Range,
} from 'vscode-languageserver/node.js';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import { positionOf, sourceFile, type SourceFile, type Span } from '../../diagnostics/source.js';
import { nodeHost } from '../../host.js';
import { LanguageService, type CompletionKind, type DocumentSymbol, type SymbolKind as CnnSymbolKind } from '../../language/service.js';

/**
 * `cnnc lsp`: the Language Server Protocol over stdio (vscode-languageserver), answering from the
 * library's LanguageService: diagnostics as you type (debounced), hover, inlay hints with each
 * layer's output shape, completion, signature help, definition, references, rename, the outline,
 * quick fixes and formatting. Editors start it with `--stdio`.
 */
export function registerLsp(program: Command): void {
  program
    .command('lsp')
    .description('run the language server (Language Server Protocol over stdio) for editors')
    .option('--stdio', 'talk over stdin and stdout (the default; editors pass it)')
    .action(() => serve());
}

/** How long typing must pause before a document is checked again. */
const DEBOUNCE_MS = 120;

function serve(): Promise<void> {
  const connection = createConnection(ProposedFeatures.all, process.stdin, process.stdout);
  const documents = new TextDocuments(TextDocument);
  const service = new LanguageService(nodeHost);
  const pending = new Map<string, ReturnType<typeof setTimeout>>();
  /** Files each open document last published diagnostics for, so fixed ones are cleared. */
  const published = new Map<string, Set<string>>();

  connection.onInitialize(() => ({
    capabilities: {
      textDocumentSync: TextDocumentSyncKind.Incremental,
      hoverProvider: true,
      definitionProvider: true,
      documentSymbolProvider: true,
      inlayHintProvider: true,
      completionProvider: { triggerCharacters: ['(', ',', ' '] },
      codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
      documentFormattingProvider: true,
      referencesProvider: true,
      renameProvider: { prepareProvider: true },
      signatureHelpProvider: { triggerCharacters: ['(', ','] },
    },
    serverInfo: { name: 'cnnc' },
  }));

  const check = (uri: string) => {
    const path = pathOf(uri);
    const diags = service.diagnostics(path);
    const sources = service.sources(path);
    const byFile = new Map<string, LspDiagnostic[]>([[path, []]]);
    for (const d of diags) byFile.set(d.span.file, [...(byFile.get(d.span.file) ?? []), toLsp(d, sources)]);
    const before = published.get(uri) ?? new Set<string>();
    for (const file of before) if (!byFile.has(file)) void connection.sendDiagnostics({ uri: uriOf(file), diagnostics: [] });
    for (const [file, list] of byFile) void connection.sendDiagnostics({ uri: file === path ? uri : uriOf(file), diagnostics: list });
    published.set(uri, new Set(byFile.keys()));
  };

  documents.onDidOpen((e) => {
    service.update(pathOf(e.document.uri), e.document.getText());
    check(e.document.uri);
  });
  documents.onDidChangeContent((e) => {
    const uri = e.document.uri;
    service.update(pathOf(uri), e.document.getText());
    clearTimeout(pending.get(uri));
    pending.set(uri, setTimeout(() => check(uri), DEBOUNCE_MS));
  });
  documents.onDidClose((e) => {
    service.close(pathOf(e.document.uri));
    for (const file of published.get(e.document.uri) ?? []) void connection.sendDiagnostics({ uri: file === pathOf(e.document.uri) ? e.document.uri : uriOf(file), diagnostics: [] });
    published.delete(e.document.uri);
  });

  const doc = (uri: string) => {
    const d = documents.get(uri);
    return d ? { path: pathOf(uri), src: sourceFile(pathOf(uri), d.getText()), d } : undefined;
  };

  connection.onHover((p) => {
    const at = doc(p.textDocument.uri);
    if (!at) return null;
    const h = service.hover(at.path, at.d.offsetAt(p.position));
    return h ? { contents: { kind: 'markdown', value: h.text }, range: rangeOf(h.span, at.src) } : null;
  });
  connection.onDefinition((p) => {
    const at = doc(p.textDocument.uri);
    if (!at) return null;
    const span = service.definition(at.path, at.d.offsetAt(p.position));
    if (!span) return null;
    const src = span.file === at.path ? at.src : service.sources(at.path).get(span.file);
    return { uri: span.file === at.path ? p.textDocument.uri : uriOf(span.file), range: src ? rangeOf(span, src) : { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } };
  });
  connection.onDocumentSymbol((p) => {
    const at = doc(p.textDocument.uri);
    return at ? service.symbols(at.path).map((s) => symbolOf(s, at.src)) : [];
  });
  connection.languages.inlayHint.on((p) => {
    const at = doc(p.textDocument.uri);
    if (!at) return [];
    const from = at.d.offsetAt(p.range.start);
    const to = at.d.offsetAt(p.range.end);
    return service
      .inlayHints(at.path)
      .filter((h) => h.offset >= from && h.offset <= to)
      .map((h) => ({ position: at.d.positionAt(h.offset), label: h.label, kind: InlayHintKind.Type, paddingLeft: true }));
  });
  connection.onCompletion((p) => {
    const at = doc(p.textDocument.uri);
    if (!at) return [];
    return service.completions(at.path, at.d.offsetAt(p.position)).map((c) => ({
      label: c.label,
      kind: COMPLETION_KINDS[c.kind],
      detail: c.detail,
      documentation: c.documentation,
      insertText: c.insert,
    }));
  });

  connection.onCodeAction((p) => {
    const at = doc(p.textDocument.uri);
    if (!at) return [];
    const sources = service.sources(at.path);
    return service.codeActions(at.path, at.d.offsetAt(p.range.start), at.d.offsetAt(p.range.end)).map((a) => ({
      title: a.title,
      kind: CodeActionKind.QuickFix,
      diagnostics: [toLsp(a.diagnostic, sources)],
      edit: { changes: { [p.textDocument.uri]: a.edits.map((e) => ({ range: rangeOf(e.span, at.src), newText: e.text })) } },
    }));
  });

  /** A span of any file as an LSP location: open documents by their text, others as the analysis read them. */
  const locate = (span: Span, from: string) => {
    const open = documents.all().find((d) => pathOf(d.uri) === span.file);
    const src = open ? sourceFile(span.file, open.getText()) : (service.sources(from).get(span.file) ?? sourceFile(span.file, ''));
    return { uri: open?.uri ?? uriOf(span.file), range: rangeOf(span, src) };
  };
  connection.onReferences((p) => {
    const at = doc(p.textDocument.uri);
    if (!at) return [];
    const spans = service.references(at.path, at.d.offsetAt(p.position));
    // The declaration is the first span; leave it out when the editor asks for uses only.
    return (p.context.includeDeclaration ? spans : spans.slice(1)).map((s) => locate(s, at.path));
  });
  connection.onPrepareRename((p) => {
    const at = doc(p.textDocument.uri);
    const span = at && service.renameSpan(at.path, at.d.offsetAt(p.position));
    return at && span ? rangeOf(span, at.src) : null;
  });
  connection.onRenameRequest((p) => {
    const at = doc(p.textDocument.uri);
    if (!at) return null;
    const r = service.rename(at.path, at.d.offsetAt(p.position), p.newName);
    if ('error' in r) throw new ResponseError(ErrorCodes.InvalidRequest, r.error);
    const changes: Record<string, { range: Range; newText: string }[]> = {};
    for (const e of r.edits) {
      const loc = locate(e.span, at.path);
      (changes[loc.uri] ??= []).push({ range: loc.range, newText: e.text });
    }
    return { changes };
  });
  connection.onSignatureHelp((p) => {
    const at = doc(p.textDocument.uri);
    const h = at && service.signatureHelp(at.path, at.d.offsetAt(p.position));
    if (!h) return null;
    return { signatures: [{ label: h.label, documentation: h.documentation, parameters: h.parameters.map((q) => ({ label: q.label, documentation: q.documentation })) }], activeSignature: 0, activeParameter: h.active };
  });

  connection.onDocumentFormatting((p) => {
    const at = doc(p.textDocument.uri);
    const text = at && service.format(at.path);
    if (!at || text === undefined || text === at.d.getText()) return [];
    return [{ range: { start: { line: 0, character: 0 }, end: at.d.positionAt(at.d.getText().length) }, newText: text }];
  });

  documents.listen(connection);
  connection.listen();
  return new Promise<void>((resolve) => connection.onExit(() => resolve()));
}

const COMPLETION_KINDS: Record<CompletionKind, CompletionItemKind> = {
  layer: CompletionItemKind.Function,
  block: CompletionItemKind.Class,
  argument: CompletionItemKind.Property,
  value: CompletionItemKind.Variable,
  keyword: CompletionItemKind.Keyword,
  setting: CompletionItemKind.Property,
  file: CompletionItemKind.File,
};

const SYMBOL_KINDS: Record<CnnSymbolKind, SymbolKind> = { model: SymbolKind.Class, block: SymbolKind.Function, input: SymbolKind.Variable, value: SymbolKind.Variable, layer: SymbolKind.Field };

function symbolOf(s: DocumentSymbol, src: SourceFile): LspSymbol {
  return { name: s.name, detail: s.detail, kind: SYMBOL_KINDS[s.kind], range: rangeOf(s.span, src), selectionRange: rangeOf(s.nameSpan, src), children: s.children.map((c) => symbolOf(c, src)) };
}

function toLsp(d: Diagnostic, sources: ReadonlyMap<string, SourceFile>): LspDiagnostic {
  const src = sources.get(d.span.file) ?? sourceFile(d.span.file, '');
  const related = d.notes.flatMap((n) => {
    const nsrc = n.span && sources.get(n.span.file);
    return n.span && nsrc ? [{ location: { uri: uriOf(n.span.file), range: rangeOf(n.span, nsrc) }, message: n.message }] : [];
  });
  const unplaced = d.notes.filter((n) => !n.span || !sources.get(n.span.file)).map((n) => `note: ${n.message}`);
  const message = [d.message, ...unplaced, ...(d.help ? [`help: ${d.help}`] : [])].join('\n');
  return {
    range: rangeOf(d.span, src),
    severity: d.severity === 'error' ? DiagnosticSeverity.Error : DiagnosticSeverity.Warning,
    code: d.code,
    source: 'cnnc',
    message,
    ...(related.length ? { relatedInformation: related } : {}),
  };
}

/** 0-based LSP positions from a span's offsets (both count UTF-16 code units). */
function rangeOf(span: Span, src: SourceFile): Range {
  const at = (offset: number) => {
    const p = positionOf(src, offset);
    return { line: p.line - 1, character: p.column - 1 };
  };
  return { start: at(span.start), end: at(Math.max(span.start, span.end)) };
}

function pathOf(uri: string): string {
  return uri.startsWith('file:') ? fileURLToPath(uri) : uri;
}

function uriOf(path: string): string {
  return /^[a-z]+:/.test(path) && !path.startsWith('/') ? path : pathToFileURL(path).href;
}

