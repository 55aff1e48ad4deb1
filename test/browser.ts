import { existsSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { extname, join } from 'node:path';
import type { Browser } from 'puppeteer-core';

/**
 * Debian's Chromium for the tests that run pages (compiled modules on SwiftShader, the
 * playground). CI installs it and sets CNNC_REQUIRE_BROWSER=1, so there those tests can never be
 * skipped; elsewhere they are skipped only where the browser is not installed.
 */
export const CHROMIUM = '/usr/lib/chromium/chromium';
export const noBrowser = !existsSync(CHROMIUM) && process.env.CNNC_REQUIRE_BROWSER !== '1';

export async function launchChromium(): Promise<Browser> {
  const puppeteer = (await import('puppeteer-core')).default;
  return puppeteer.launch({
    executablePath: CHROMIUM,
    headless: true,
    // No network here: Chromium's background connections would only fail.
    args: ['--no-sandbox', '--enable-unsafe-webgpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'],
  });
}

const MIME: Record<string, string> = { '.js': 'text/javascript', '.css': 'text/css', '.json': 'application/json', '.html': 'text/html', '.wgsl': 'text/plain', '.map': 'application/json' };

/** Serves `root` over http on 127.0.0.1 (module scripts do not load from file://). */
export function serve(root: string): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    let path = join(root, decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname));
    if (path.endsWith('/')) path += 'index.html';
    if (!path.startsWith(root) || !existsSync(path)) {
      res.statusCode = 404;
      res.end();
      return;
    }
    res.setHeader('content-type', MIME[extname(path)] ?? 'application/octet-stream');
    res.end(readFileSync(path));
  });
  return new Promise((done) => server.listen(0, '127.0.0.1', () => done({ server, url: `http://127.0.0.1:${(server.address() as { port: number }).port}` })));
}
