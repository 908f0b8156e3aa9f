// A static server for the demo with cross-origin isolation (COOP/COEP), so that threads are allowed.
// Usage: node examples/browser/serve.mjs [port]  (0 picks a free port)  then open http://localhost:8080/examples/browser/
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';

const root = new URL('../..', import.meta.url).pathname;
const types = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.wasm': 'application/wasm',
  '.kapri': 'application/octet-stream',
  '.json': 'application/json',
};
const port = Number(process.argv[2] ?? 8080);
const server = createServer(async (req, res) => {
  const path = normalize(decodeURIComponent(new URL(req.url, 'http://x').pathname));
  const file = join(root, path.endsWith('/') ? `${path}index.html` : path);
  if (!file.startsWith(root)) return res.writeHead(403).end();
  try {
    const body = await readFile(file);
    res.writeHead(200, {
      'content-type': types[extname(file)] ?? 'application/octet-stream',
      'cross-origin-opener-policy': 'same-origin',
      'cross-origin-embedder-policy': 'require-corp',
    });
    res.end(body);
  } catch {
    res.writeHead(404).end('not found');
  }
});
server.listen(port, '127.0.0.1', () =>
  console.log(`serving ${root} on http://127.0.0.1:${server.address().port}/examples/browser/`),
);
