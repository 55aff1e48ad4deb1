import { describe, expect, it } from 'vitest';
import { sourceFile } from '../../src/diagnostics/source.js';
import type * as A from '../../src/syntax/ast.js';
import { parse } from '../../src/syntax/parse.js';

function parseText(text: string) {
  return parse(sourceFile('t.cnn', text));
}

function firstModelBody(text: string): readonly A.Stmt[] {
  const r = parseText(text);
  expect(r.diagnostics).toEqual([]);
  const m = r.program.items.find((i) => i.kind === 'Model') as A.ModelDecl;
  return m.body;
}

describe('parser', () => {
  it('reads a model with a multi-line pipeline and a train section', () => {
    const body = firstModelBody(`model m(classes = 10) {
  input image: 1 x 28 x 28
  image -> conv(6, 5, pad: 2) -> relu
        -> flatten -> dense(classes)
  train {
    optimizer: sgd(lr: 0.1, momentum: 0.9)
    augment: [translate(2), hflip]
  }
}`);
    expect(body.map((s) => s.kind)).toEqual(['Input', 'ExprStmt', 'Train']);
    const pipe = (body[1] as A.ExprStmt).expr as A.PipeExpr;
    expect(pipe.kind).toBe('Pipe');
    expect(pipe.stages).toHaveLength(4);
    const input = body[0] as A.InputStmt;
    expect(input.shape.kind).toBe('Binary');
    expect((input.shape as A.BinaryExpr).op).toBe('x');
  });

  it('gives every node the span of its text', () => {
    const text = 'model m {\n  input x: 3x32x32\n  y = x -> conv(8, 3x5, stride: 2)\n  y\n}\n';
    const body = firstModelBody(text);
    const assign = body[1] as A.AssignStmt;
    expect(text.slice(assign.span.start, assign.span.end)).toBe('y = x -> conv(8, 3x5, stride: 2)');
    const stage = (assign.value as A.PipeExpr).stages[0];
    expect(text.slice(stage.span.start, stage.span.end)).toBe('conv(8, 3x5, stride: 2)');
    const call = stage.layer as A.CallExpr;
    expect(call.args.map((a) => text.slice(a.span.start, a.span.end))).toEqual(['8', '3x5', 'stride: 2']);
    expect((call.args[1].value as A.SizeLit).dims).toEqual([3, 5]);
  });

  it('reads `x` as a tensor name and as the size operator by context', () => {
    const body = firstModelBody('model m {\n  input x: 3 x 32 x 32\n  x -> relu(x)\n}');
    expect(((body[0] as A.InputStmt).shape as A.BinaryExpr).op).toBe('x');
    const pipe = (body[1] as A.ExprStmt).expr as A.PipeExpr;
    expect(pipe.source).toMatchObject({ kind: 'Ident', name: 'x' });
  });

  it('parses blocks, repetition, aliases, conditions and imports', () => {
    const r = parseText(`import basic, bottleneck from "blocks.cnn"
block b(c, stride = 1)(x) {
  skip = if stride != 1 or x.channels != c then x -> conv(c, 1, stride: stride) else x
  return relu(x + skip)
}
model m {
  input x: 3 x 8 x 8
  x -> b(4) * 2 as layer1 -> (a, c) -> concat
}`);
    expect(r.diagnostics).toEqual([]);
    expect(r.program.items.map((i) => i.kind)).toEqual(['Import', 'Block', 'Model']);
    const imp = r.program.items[0] as A.ImportDecl;
    expect(imp.names.map((n) => n.text)).toEqual(['basic', 'bottleneck']);
    const blk = r.program.items[1] as A.BlockDecl;
    expect(blk.params.map((p) => p.name.text)).toEqual(['c', 'stride']);
    expect(blk.inputs.map((p) => p.text)).toEqual(['x']);
    const skip = blk.body[0] as A.AssignStmt;
    expect(skip.value.kind).toBe('If');
    const model = r.program.items[2] as A.ModelDecl;
    const pipe = (model.body[1] as A.ExprStmt).expr as A.PipeExpr;
    expect(pipe.stages[0].repeat).toMatchObject({ kind: 'Number', value: 2 });
    expect(pipe.stages[0].alias?.text).toBe('layer1');
  });

  it('respects precedence: arithmetic over comparison over `and` over `or`', () => {
    const body = firstModelBody('model m {\n  input x: 4\n  t = 1 + 2 * 3 == 7 and not false or false\n  x\n}');
    const e = (body[1] as A.AssignStmt).value as A.BinaryExpr;
    expect(e.op).toBe('or');
    const and = e.left as A.BinaryExpr;
    expect(and.op).toBe('and');
    const eq = and.left as A.BinaryExpr;
    expect(eq.op).toBe('==');
    expect((eq.left as A.BinaryExpr).op).toBe('+');
    expect(((eq.left as A.BinaryExpr).right as A.BinaryExpr).op).toBe('*');
  });

  it('recovers from errors and reports each of them', () => {
    const text = 'model m {\n  input x: 3 x 32 x 32\n  y = = 3\n  z = x -> conv(8, 3,, 2)\n  w = x ->\n}\n';
    const r = parseText(text);
    expect(r.diagnostics.length).toBeGreaterThanOrEqual(3);
    expect(new Set(r.diagnostics.map((d) => d.code))).toEqual(new Set(['E0001']));
    const lines = r.diagnostics.map((d) => text.slice(0, d.span.start).split('\n').length);
    expect(lines).toContain(3);
    expect(lines).toContain(4);
    // The model is still there for the checker to look at.
    expect(r.program.items[0].kind).toBe('Model');
  });

  it('reports lexical errors with their own codes', () => {
    const r = parseText('model m {\n  input x: 3 x 32 x 32 $\n  x -> conv(8, 3, pad_mode: "zeros)\n}');
    expect(r.diagnostics.map((d) => d.code)).toEqual(expect.arrayContaining(['E0002', 'E0003']));
  });

  it('says what it expected in words', () => {
    const r = parseText('model m {\n  input x: 3 x 32 x 32\n  x -> conv(8, 3\n}');
    expect(r.diagnostics[0].message).toBe("expected ')', found '}'");
  });
});
