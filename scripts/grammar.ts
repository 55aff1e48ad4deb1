import { createSyntaxDiagramsCode, type ISerializedGast } from 'chevrotain';
import { parser } from '../src/syntax/parser.js';

/**
 * The grammar reference and the syntax diagram, both derived from the chevrotain parser itself so
 * they cannot drift from it; test/syntax/grammar.test.ts fails when the committed copies are stale.
 */
export function grammarEbnf(): string {
  const rules = parser.getSerializedGastProductions();
  const lines = [
    '(* The .cnn grammar, generated from src/syntax/parser.ts by `npm run grammar`. Do not edit. *)',
    '(* Terminals are token names; grammar/README.md lists their patterns. *)',
    '',
  ];
  for (const r of rules as Node[]) lines.push(`${r.name} ::= ${seq(r.definition ?? [])} ;`, '');
  return lines.join('\n');
}

type Node = ISerializedGast & { name?: string; label?: string; definition?: ISerializedGast[]; separator?: ISerializedGast };

function seq(items: readonly ISerializedGast[]): string {
  return items.map((i) => term(i as Node)).join(' ');
}

function term(n: Node): string {
  const inner = (): string => seq(n.definition ?? []);
  switch (n.type) {
    case 'NonTerminal':
      return n.name!;
    case 'Terminal':
      return n.label && /^'.*'$/.test(n.label) ? n.label : n.name!;
    case 'Alternation':
      return `( ${(n.definition ?? []).map((a) => seq((a as Node).definition ?? [])).join(' | ')} )`;
    case 'Alternative':
      return inner();
    case 'Option':
      return `[ ${inner()} ]`;
    case 'Repetition':
      return `{ ${inner()} }`;
    case 'RepetitionMandatory':
      return `${inner()} { ${inner()} }`;
    case 'RepetitionWithSeparator':
      return `[ ${inner()} { ${term(n.separator as Node)} ${inner()} } ]`;
    case 'RepetitionMandatoryWithSeparator':
      return `${inner()} { ${term(n.separator as Node)} ${inner()} }`;
    default:
      return `?${n.type}?`;
  }
}

export function syntaxDiagramHtml(): string {
  return createSyntaxDiagramsCode(parser.getSerializedGastProductions());
}
