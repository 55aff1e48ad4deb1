import { builtinModules } from 'node:module';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import ts from 'typescript';

/**
 * The runtime import graph of a module, following relative imports from file to file (TypeScript
 * sources or the JavaScript tsc built from them). Type-only imports and exports are skipped, as
 * they vanish at run time; `import { type X } from` is kept, since under verbatimModuleSyntax it
 * stays an `import {} from` that loads the module. Dynamic `import()` calls are recorded as such.
 */

export interface Reach {
  /** The specifier as written. */
  readonly specifier: string;
  /** The file that wrote it, relative to the root the walk started from. */
  readonly from: string;
  readonly dynamic: boolean;
}

export interface ImportGraph {
  /** Every file reached, relative to `root`. */
  readonly files: readonly string[];
  /** Every non-relative specifier reached (packages, node builtins). */
  readonly external: readonly Reach[];
  /** Node-only globals used by a reached file (`process`, `Buffer`, `__dirname`, `require` …). */
  readonly nodeGlobals: readonly Reach[];
}

const NODE_GLOBALS = new Set(['process', 'Buffer', '__dirname', '__filename', 'require', 'module', 'global', 'setImmediate']);

const BUILTINS = new Set(builtinModules.flatMap((m) => [m, m.split('/')[0]]));

/** `node:fs`, `fs`, `fs/promises`, `path` …: what only Node provides. */
export function isNodeBuiltin(specifier: string): boolean {
  return specifier.startsWith('node:') || BUILTINS.has(specifier) || BUILTINS.has(specifier.split('/')[0]);
}

/** The package a bare specifier names: `@dagrejs/dagre`, `chevrotain`. */
export function packageOf(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

function resolveRelative(fromFile: string, spec: string): string {
  const base = resolve(dirname(fromFile), spec);
  const candidates = [base, base.replace(/\.js$/, '.ts'), `${base}.ts`, `${base}.js`, `${base}/index.ts`, `${base}/index.js`];
  const hit = candidates.find((c) => existsSync(c) && !c.endsWith('/') && /\.(ts|js|mjs)$/.test(c));
  if (!hit) throw new Error(`${fromFile}: cannot resolve ${spec}`);
  return hit;
}

/** Whether an identifier is used as a value in its own right (not `x.process`, not `{ process: … }`). */
function isFreeUse(id: ts.Identifier): boolean {
  const p = id.parent;
  if (ts.isPropertyAccessExpression(p) && p.name === id) return false;
  if ((ts.isPropertyAssignment(p) || ts.isPropertyDeclaration(p) || ts.isPropertySignature(p) || ts.isMethodDeclaration(p) || ts.isMethodSignature(p)) && p.name === id) return false;
  if ((ts.isParameter(p) || ts.isVariableDeclaration(p) || ts.isBindingElement(p) || ts.isFunctionDeclaration(p) || ts.isClassDeclaration(p)) && p.name === id) return false;
  if (ts.isQualifiedName(p) || ts.isTypeReferenceNode(p) || ts.isImportSpecifier(p) || ts.isExportSpecifier(p) || ts.isGetAccessor(p) || ts.isSetAccessor(p)) return false;
  return true;
}

/** Names a file declares itself (a local `module` or `require` is not Node's). */
function declaredNames(src: ts.SourceFile): Set<string> {
  const names = new Set<string>();
  const visit = (node: ts.Node): void => {
    if (
      (ts.isVariableDeclaration(node) || ts.isParameter(node) || ts.isBindingElement(node) || ts.isFunctionDeclaration(node) ||
        ts.isClassDeclaration(node) || ts.isImportClause(node) || ts.isImportSpecifier(node) || ts.isNamespaceImport(node)) &&
      node.name && ts.isIdentifier(node.name)
    ) {
      names.add(node.name.text);
    }
    ts.forEachChild(node, visit);
  };
  visit(src);
  return names;
}

export function importGraph(entry: string, root = dirname(entry)): ImportGraph {
  const seen = new Set<string>();
  const external: Reach[] = [];
  const nodeGlobals: Reach[] = [];
  const queue = [resolve(entry)];
  while (queue.length) {
    const file = queue.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    const from = relative(root, file);
    const text = readFileSync(file, 'utf8');
    const src = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, file.endsWith('.ts') ? ts.ScriptKind.TS : ts.ScriptKind.JS);
    const declared = declaredNames(src);
    const reach = (specifier: string, dynamic: boolean): void => {
      if (specifier.startsWith('.')) queue.push(resolveRelative(file, specifier));
      else external.push({ specifier, from, dynamic });
    };
    const visit = (node: ts.Node): void => {
      if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
        if (!node.importClause?.isTypeOnly) reach(node.moduleSpecifier.text, false);
        return;
      }
      if (ts.isExportDeclaration(node)) {
        if (node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier) && !node.isTypeOnly) reach(node.moduleSpecifier.text, false);
        return;
      }
      if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) {
        const e = node.moduleReference.expression;
        if (!node.isTypeOnly && ts.isStringLiteral(e)) reach(e.text, false);
        return;
      }
      // Type positions never run: `NodeJS.ErrnoException`, `typeof process` in a type.
      if (ts.isTypeNode(node) && !ts.isExpressionWithTypeArguments(node)) return;
      if (ts.isInterfaceDeclaration(node) || ts.isTypeAliasDeclaration(node)) return;
      if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
        const [arg] = node.arguments;
        reach(arg && ts.isStringLiteralLike(arg) ? arg.text : '<computed>', true);
      }
      if (ts.isIdentifier(node) && NODE_GLOBALS.has(node.text) && !declared.has(node.text) && isFreeUse(node)) nodeGlobals.push({ specifier: node.text, from, dynamic: false });
      ts.forEachChild(node, visit);
    };
    visit(src);
  }
  return { files: [...seen].map((f) => relative(root, f)).sort(), external, nodeGlobals };
}
