import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// Mesa's drivers print errors on every start without a writable runtime directory.
process.env.XDG_RUNTIME_DIR ??= mkdtempSync(join(tmpdir(), 'cnnc-xdg-'));

// The IR verifier runs after every back-end pass in tests (src/backend.ts).
process.env.CNNC_VERIFY ??= '1';
