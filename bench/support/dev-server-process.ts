// The dev server in a process of its own, so a benchmark measures the client side alone (and the
// two sides use both cores, as a reconciler and a Consul would).
import { spawn } from 'node:child_process';

export interface DevServerProcess {
  url: string;
  /** The server's process id (its CPU time is read from /proc/PID/stat). */
  pid: number;
  close(): void;
}

export async function startDevServerProcess(extraArgs: string[] = []): Promise<DevServerProcess> {
  const child = spawn(process.execPath, ['bin/consul-gitops.js', 'dev-server', '--port', '0', ...extraArgs], { stdio: ['ignore', 'pipe', 'inherit'] });
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
