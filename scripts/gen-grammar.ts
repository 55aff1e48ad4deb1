import { writeFileSync } from 'node:fs';
import { grammarEbnf, syntaxDiagramHtml } from './grammar.js';
import { textmateGrammar } from './textmate.js';

writeFileSync(new URL('../grammar/cnn.ebnf', import.meta.url), grammarEbnf());
writeFileSync(new URL('../grammar/syntax-diagram.html', import.meta.url), syntaxDiagramHtml());
writeFileSync(new URL('../editors/vscode/syntaxes/cnn.tmLanguage.json', import.meta.url), textmateGrammar());
process.stdout.write('wrote grammar/cnn.ebnf, grammar/syntax-diagram.html and editors/vscode/syntaxes/cnn.tmLanguage.json\n');
