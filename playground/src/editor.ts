import { autocompletion, type Completion as CmCompletion, type CompletionContext, type CompletionResult } from '@codemirror/autocomplete';
import { setDiagnostics, type Diagnostic as CmDiagnostic } from '@codemirror/lint';
import { EditorState, RangeSetBuilder, StateEffect, StateField, type Extension } from '@codemirror/state';
import { Decoration, EditorView, hoverTooltip, ViewPlugin, WidgetType, type DecorationSet, type ViewUpdate } from '@codemirror/view';
import { basicSetup } from 'codemirror';
import { marked } from 'marked';
import { highlight, type CompletionKind, type Diagnostic, type InlayHint, type LanguageService } from '../../src/browser.js';

/**
 * The .cnn editor: CodeMirror 6 over cnnc's LanguageService (src/language/service.ts), the same
 * answers the language server gives VS Code — colours from the compiler's lexer, diagnostics with
 * their fixes as quick fixes, hover, inlay shapes and completion. The document's text reaches the
 * service on every change; analysis runs when something asks (the service caches it).
 */
export interface CnnEditor {
  readonly view: EditorView;
  /** Replaces the document (an example, a shared link) without adding to undo history's past. */
  setText(text: string): void;
  /** Shows an analysis: diagnostics as squiggles, shapes as inlay hints. */
  showAnalysis(diagnostics: readonly Diagnostic[], hints: readonly InlayHint[]): void;
}

export function createEditor(parent: HTMLElement, service: LanguageService, path: () => string, onChange: (text: string) => void): CnnEditor {
  const view = new EditorView({
    parent,
    state: EditorState.create({
      doc: '',
      extensions: [
        basicSetup,
        EditorView.lineWrapping,
        colours,
        hintField,
        hoverTooltip((v, pos) => hoverAt(v, pos, service, path())),
        autocompletion({ override: [(ctx) => complete(ctx, service, path())] }),
        EditorView.updateListener.of((u: ViewUpdate) => {
          if (!u.docChanged) return;
          const text = u.state.doc.toString();
          service.update(path(), text);
          onChange(text);
        }),
        EditorView.theme({ '&': { height: '100%' }, '.cm-scroller': { fontFamily: 'var(--mono)' } }),
      ],
    }),
  });
  return {
    view,
    setText(text) {
      view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text } });
    },
    showAnalysis(diagnostics, hints) {
      const len = view.state.doc.length;
      const mine = diagnostics.filter((d) => d.span.file === path());
      const marks: CmDiagnostic[] = mine.map((d) => ({
        from: Math.min(d.span.start, len),
        to: Math.min(Math.max(d.span.end, d.span.start), len),
        severity: d.severity === 'error' ? 'error' : 'warning',
        source: d.code,
        message: d.message + (d.help ? `\nhelp: ${d.help}` : ''),
        actions: (d.fixes ?? []).map((f) => ({
          name: f.title,
          apply: (v: EditorView) => v.dispatch({ changes: f.edits.map((e) => ({ from: e.span.start, to: e.span.end, insert: e.text })) }),
        })),
      }));
      view.dispatch(setDiagnostics(view.state, marks), { effects: setHints.of(hints.filter((h) => h.offset <= len)) });
    },
  };
}

/** Colours: the compiler's own tokens (src/language/highlight.ts) as classes styled in style.css. */
const colours = ViewPlugin.fromClass(
  class {
    decorations: DecorationSet;
    constructor(view: EditorView) {
      this.decorations = colour(view.state.doc.toString());
    }
    update(u: ViewUpdate) {
      if (u.docChanged) this.decorations = colour(u.state.doc.toString());
    }
  },
  { decorations: (p) => p.decorations },
);

function colour(text: string): DecorationSet {
  const b = new RangeSetBuilder<Decoration>();
  for (const t of highlight(text)) if (t.end > t.start) b.add(t.start, t.end, Decoration.mark({ class: `tok-cnn-${t.kind}` }));
  return b.finish();
}

/** Inlay hints: each layer's output shape after its call, kept in place as the text is edited until the next analysis. */
const setHints = StateEffect.define<readonly InlayHint[]>();

class ShapeHint extends WidgetType {
  constructor(readonly label: string) {
    super();
  }
  override eq(other: ShapeHint): boolean {
    return other.label === this.label;
  }
  toDOM(): HTMLElement {
    const el = document.createElement('span');
    el.className = 'cm-inlay';
    el.textContent = this.label;
    return el;
  }
}

const hintField = StateField.define<DecorationSet>({
  create: () => Decoration.none,
  update(set, tr) {
    for (const e of tr.effects) {
      if (e.is(setHints)) return Decoration.set(e.value.map((h) => Decoration.widget({ widget: new ShapeHint(h.label), side: 1 }).range(h.offset)), true);
    }
    return set.map(tr.changes);
  },
  provide: (f) => EditorView.decorations.from(f),
});

function hoverAt(view: EditorView, pos: number, service: LanguageService, path: string) {
  const h = service.hover(path, pos);
  if (!h) return null;
  return {
    pos: h.span.start,
    end: h.span.end,
    create: () => {
      const dom = document.createElement('div');
      dom.className = 'cm-hover-doc';
      // The service writes the Markdown from the language's own tables; `<` is escaped so that a
      // user's text quoted in it (a string, a name) stays text.
      dom.innerHTML = marked.parse(h.text.replace(/&/g, '&amp;').replace(/</g, '&lt;'), { async: false });
      return { dom };
    },
  };
}

const KIND: Record<CompletionKind, string> = { layer: 'function', block: 'class', argument: 'property', value: 'variable', keyword: 'keyword', setting: 'property', file: 'text' };

function complete(ctx: CompletionContext, service: LanguageService, path: string): CompletionResult | null {
  const word = ctx.matchBefore(/[A-Za-z_][A-Za-z0-9_]*|"[^"\n]*/);
  if (!word && !ctx.explicit) return null;
  const from = word ? (word.text.startsWith('"') ? word.from + 1 : word.from) : ctx.pos;
  const options: CmCompletion[] = service.completions(path, ctx.pos).map((c) => ({
    label: c.label,
    type: KIND[c.kind],
    detail: c.detail,
    info: c.documentation,
    apply: c.insert ?? c.label,
  }));
  return { from, options, validFor: /^[A-Za-z0-9_./]*$/ };
}
