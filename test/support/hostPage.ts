import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname } from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json',
};

/**
 * A desktop agent's own web server: another origin than the Earshot server's (another port on this
 * machine), serving the host's files. The page's requests to the Earshot server carry this origin, which
 * the server must list in ALLOWED_ORIGINS. `served` and `missing` say what the page asked for.
 */
export interface HostServer {
  origin: string;
  /** Sets the files (URL path → file on disk); a path not listed answers 404. */
  serve(files: Record<string, string>): void;
  served: string[];
  missing: string[];
  close(): Promise<void>;
}

export async function startHostServer(): Promise<HostServer> {
  let files: Record<string, string> = {};
  const served: string[] = [];
  const missing: string[] = [];
  const http = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://host').pathname;
    // The browser's own request, not the page's.
    if (path === '/favicon.ico') return void res.writeHead(204).end();
    const file = files[path];
    if (!file) {
      missing.push(path);
      res.writeHead(404).end('not found');
      return;
    }
    served.push(path);
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' }).end(readFileSync(file));
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const { port } = http.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    serve(next) {
      files = next;
      served.length = 0;
      missing.length = 0;
    },
    served,
    missing,
    close: () => new Promise((resolve) => http.close(() => resolve())),
  };
}
