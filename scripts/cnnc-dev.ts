// The CLI straight from source, without a build: `npx tsx scripts/cnnc-dev.ts train examples/lenet5.cnn`.
import { main } from '../src/cli/main.js';

main(['node', 'cnnc', ...process.argv.slice(2)]).then((code) => {
  process.exitCode = code;
});
