import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import * as oniguruma from 'vscode-oniguruma';
import * as textmate from 'vscode-textmate';
import { beforeAll, describe, expect, it } from 'vitest';
import { textmateGrammar } from '../../scripts/textmate.js';
import { LAYERS } from '../../src/check/layers/index.js';
import { cnnLexer, KEYWORDS } from '../../src/syntax/tokens.js';

/**
 * The VS Code extension's TextMate grammar, run by the engine VS Code itself uses (vscode-textmate
 * on the Oniguruma regex library) over every example: each keyword, built-in layer name, number,
 * size, string and comment the compiler's lexer finds must get its scope there.
 */

const GRAMMAR = 'editors/vscode/syntaxes/cnn.tmLanguage.json';
let grammar: textmate.IGrammar;

beforeAll(async () => {
  const wasm = readFileSync(createRequire(import.meta.url).resolve('vscode-oniguruma/release/onig.wasm'));
  await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
  const registry = new textmate.Registry({
    onigLib: Promise.resolve({ createOnigScanner: (s) => new oniguruma.OnigScanner(s), createOnigString: (s) => new oniguruma.OnigString(s) }),
    loadGrammar: async () => textmate.parseRawGrammar(readFileSync(GRAMMAR, 'utf8'), GRAMMAR),
  });
  grammar = (await registry.loadGrammar('source.cnn'))!;
});

/** The scopes at every character of a file: scopes[line][column]. */
function scopesOf(text: string): string[][][] {
  let state = textmate.INITIAL;
  return text.split('\n').map((line) => {
    const r = grammar.tokenizeLine(line, state);
    state = r.ruleStack;
    const at: string[][] = [];
    for (const t of r.tokens) for (let c = t.startIndex; c < Math.max(t.endIndex, t.startIndex + 1); c++) at[c] = t.scopes;
    return at;
  });
}

const files = [...readdirSync('examples').filter((f) => f.endsWith('.cnn')).map((f) => join('examples', f)), ...readdirSync('examples/blocks').map((f) => join('examples/blocks', f))];

describe('the VS Code grammar', () => {
  it('is generated from the lexer and the layer table (regenerate with `npm run grammar`)', () => {
    expect(readFileSync(GRAMMAR, 'utf8')).toBe(textmateGrammar());
  });

  it('gives every keyword, layer name, number, size, string and comment of the examples its scope', () => {
    const counts: Record<string, number> = {};
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      const scopes = scopesOf(text);
      const want = (line: number, column: number, scope: string, what: string) => {
        const got = scopes[line][column] ?? [];
        expect(got.some((s) => s.startsWith(scope)), `${file}:${line + 1}:${column + 1} ${what}: ${got.join(' ')}`).toBe(true);
        counts[scope] = (counts[scope] ?? 0) + 1;
      };
      for (const t of cnnLexer.tokenize(text).tokens) {
        const line = t.startLine! - 1;
        const column = t.startColumn! - 1;
        const name = t.tokenType.name;
        if (KEYWORDS.includes(t.image)) want(line, column, /^(true|false)$/.test(t.image) ? 'constant.language' : 'keyword', t.image);
        else if (name === 'NumberLiteral') want(line, column, 'constant.numeric', t.image);
        else if (name === 'SizeLiteral') want(line, column, 'constant.numeric.size', t.image);
        else if (name === 'StringLiteral') want(line, column, 'string.quoted.double', t.image);
        else if (name === 'Identifier' && LAYERS.has(t.image)) want(line, column, 'support.function.layer', t.image);
      }
      text.split('\n').forEach((l, i) => {
        const hash = l.indexOf('#');
        if (hash >= 0 && !/"[^"]*#/.test(l.slice(0, hash + 1))) want(i, hash, 'comment.line', 'comment');
      });
    }
    // Every kind was met, many times: the check is not vacuous.
    for (const s of ['keyword', 'constant.numeric', 'constant.language', 'string.quoted.double', 'support.function.layer', 'comment.line']) expect(counts[s], s).toBeGreaterThan(10);
  });

  it('names declarations and arguments, sizes, and tells the size operator from a value called x', () => {
    const [decl, pipe, input, size] = scopesOf('model resnet(classes = 10) {\n  x -> conv(64, 3, pad: 1) -> relu\n  input x: 3 x 32 x 32\n  x -> adaptiveavgpool(2x3)\n');
    expect(decl[6]).toContain('entity.name.function.cnn');
    expect(pipe[2]).not.toContain('keyword.operator.size.cnn');
    expect(pipe[4]).toContain('keyword.operator.arrow.cnn');
    expect(pipe[19]).toContain('variable.parameter.cnn');
    expect(input[8]).not.toContain('keyword.operator.size.cnn');
    expect(input[11]).toContain('constant.numeric.cnn');
    expect(input[13]).toContain('keyword.operator.size.cnn');
    expect(size[23]).toContain('constant.numeric.size.cnn');
    expect(size[7]).toContain('support.function.layer.cnn');
  });

  it("the extension's manifest points at the grammar, the language configuration and a client that parse", () => {
    const manifest = JSON.parse(readFileSync('editors/vscode/package.json', 'utf8')) as {
      main: string; activationEvents: string[];
      contributes: { languages: { id: string; extensions: string[]; configuration: string }[]; grammars: { language: string; scopeName: string; path: string }[] };
    };
    const [language] = manifest.contributes.languages;
    expect(language).toMatchObject({ id: 'cnn', extensions: ['.cnn'] });
    expect(manifest.activationEvents).toEqual(['onLanguage:cnn']);
    expect(manifest.contributes.grammars).toEqual([{ language: 'cnn', scopeName: 'source.cnn', path: './syntaxes/cnn.tmLanguage.json' }]);
    const config = JSON.parse(readFileSync(join('editors/vscode', language.configuration), 'utf8')) as { comments: { lineComment: string } };
    expect(config.comments.lineComment).toBe('#');
    const client = readFileSync(join('editors/vscode', manifest.main), 'utf8');
    expect(() => new Function('require', 'module', 'process', client)).not.toThrow();
    expect(client).toContain("args: ['lsp', '--stdio']");
  });
});
