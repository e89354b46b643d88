// The dev server in a process of its own, so a benchmark measures the client side alone (and the
// two sides use both cores, as a reconciler and a Consul would).
import { spawn } from 'node:child_process';

export interface DevServerProcess {
  url: string;
  /** The server's process id (its CPU time is read from /proc/PID/stat). */
  pid: number;
  close(): void;
}

export interface DevServerProcessOptions {
  /** The CLI entry to run (a built one, e.g. from built-cli-at.ts); default the TypeScript source through tsx. */
  bin?: string;
}

/** BENCH_DEV_SERVER_NODE_ARGS (space-separated, e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`) is passed to node: NODE_OPTIONS refuses --cpu-prof. */
const nodeArgs = (process.env.BENCH_DEV_SERVER_NODE_ARGS ?? '').split(' ').filter(Boolean);

export async function startDevServerProcess(extraArgs: string[] = [], options: DevServerProcessOptions = {}): Promise<DevServerProcess> {
  const bin = options.bin ?? 'bin/consul-gitops.js';
  const child = spawn(process.execPath, [...nodeArgs, bin, 'dev-server', '--port', '0', ...extraArgs], { stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) resolve(m[1]);
    });
    child.on('exit', (code) => reject(new Error(`dev server exited with ${code}`)));
  });
  return { url, pid: child.pid!, close: () => void child.kill('SIGTERM') };
}
