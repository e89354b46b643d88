// The HTTP floor for the dev-server and apply benchmarks: a bare node:http server in its own process
// that reads each request body whole and answers `true` as the dev server answers a write, after the
// same added latency. Nothing in it can get cheaper, so what a client does against it is the least
// any apply can cost on the same machine.
import { spawn } from 'node:child_process';

export interface BareServer {
  url: string;
  /** Its process id (CPU time from /proc/PID/stat). */
  pid: number;
  close(): void;
}

const source = (latencyMs: number) => `import { createServer } from 'node:http';
const latencyMs = ${latencyMs};
const s = createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    Buffer.concat(chunks).toString('utf8');
    const answer = () => {
      res.writeHead(200, { 'X-Consul-Default-ACL-Policy': 'allow', 'Content-Type': 'application/json' });
      res.end('true');
    };
    if (latencyMs > 0) setTimeout(answer, latencyMs);
    else answer();
  });
}).listen(0, '127.0.0.1', () => console.log('listening on http://127.0.0.1:' + s.address().port));`;

/** `latencyMs`: added before each answer, as the dev server's --latency-ms (default none). */
export async function startBareServer(latencyMs = 0): Promise<BareServer> {
  const child = spawn(process.execPath, ['--input-type=module', '-e', source(latencyMs)], { stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) resolve(m[1]);
    });
    child.on('exit', (code) => reject(new Error(`bare server exited with ${code}`)));
  });
  return { url, pid: child.pid!, close: () => void child.kill('SIGTERM') };
}
