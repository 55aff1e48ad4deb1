// The cnnc extension: starts `cnnc lsp --stdio` for .cnn files and lets vscode-languageclient
// speak the protocol. Everything it shows (diagnostics, hover, inlay hints, completion, signature
// help, definition, references, rename, quick fixes, formatting) comes from the server.
const fs = require('node:fs');
const path = require('node:path');
const vscode = require('vscode');
const { LanguageClient, TransportKind } = require('vscode-languageclient/node');

let client;

/** The cnnc to run: the setting, else the workspace's own install, else the one on the PATH. */
function serverCommand() {
  const configured = vscode.workspace.getConfiguration('cnnc').get('path');
  if (configured) return configured;
  for (const folder of vscode.workspace.workspaceFolders ?? []) {
    const local = path.join(folder.uri.fsPath, 'node_modules', '.bin', process.platform === 'win32' ? 'cnnc.cmd' : 'cnnc');
    if (fs.existsSync(local)) return local;
  }
  return 'cnnc';
}

async function activate(context) {
  const command = serverCommand();
  const server = { command, args: ['lsp', '--stdio'], transport: TransportKind.stdio, options: { shell: process.platform === 'win32' } };
  client = new LanguageClient('cnnc', 'cnnc', { run: server, debug: server }, { documentSelector: [{ scheme: 'file', language: 'cnn' }, { scheme: 'untitled', language: 'cnn' }] });
  try {
    await client.start();
  } catch (e) {
    vscode.window.showErrorMessage(`cnnc: could not start \`${command} lsp\` (${e.message}). Install cnnc (npm install cnnc) or set cnnc.path.`);
  }
  context.subscriptions.push({ dispose: () => client && client.stop() });
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
