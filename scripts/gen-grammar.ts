import { writeFileSync } from 'node:fs';
import { grammarEbnf, syntaxDiagramHtml } from './grammar.js';

writeFileSync(new URL('../grammar/cnn.ebnf', import.meta.url), grammarEbnf());
writeFileSync(new URL('../grammar/syntax-diagram.html', import.meta.url), syntaxDiagramHtml());
process.stdout.write('wrote grammar/cnn.ebnf and grammar/syntax-diagram.html\n');
