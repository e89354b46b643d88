// `consul-gitops dev-server [--port 8500] [--host 127.0.0.1] [--acl-token T] [--acl-policy-file FILE] [--data FILE] [--latency-ms N] [--secure] [--consul-version X]`:
// runs the embedded Consul-compatible dev server until SIGINT/SIGTERM.
import { parseArgs } from 'node:util';
import { SUPPORTED_CONSUL } from '../model/consul-versions.ts';
import type { DevServerOptions } from './server.ts';

export interface DevServerIo {
  stdout: { write(s: string): unknown };
  stderr: { write(s: string): unknown };
}

export const DEV_SERVER_USAGE = `Usage: consul-gitops dev-server [--port 8500] [--host 127.0.0.1] [--acl-token T] [--acl-policy-file FILE] [--data FILE] [--latency-ms N] [--secure] [--consul-version X]
  Runs an in-process Consul-compatible HTTP API (config entries, KV, minimal catalog).
  --port        listen port (default 8500; 0 = any free port)
  --host        listen address (default 127.0.0.1)
  --acl-token   enable ACLs (default deny): this token may do everything, no token is anonymous
  --acl-policy-file  enable ACLs from a JSON/YAML file: default_policy, tokens with rules in
                Consul's policy syntax (service_prefix, intention_prefix, key_prefix, node_prefix,
                agent_prefix, mesh, operator: read/write/deny) and the anonymous token's rules
  --data        persist state to this JSON file (loaded at start; a write is answered once saved)
  --latency-ms  delay every request by N milliseconds
  --secure      show an agent set up as the production checklist asks (/v1/agent/self: gossip
                encryption, RPC TLS verify_incoming/outgoing/server_hostname; an external (vault)
                CA); without it, the agent looks like \`consul agent -dev\` (none of these)
  --consul-version  behave as this Consul (default: the newest modelled, ${SUPPORTED_CONSUL.newest}): /v1/agent/self
                reports it, fields it lacks are refused (invalid config key), version rules follow it
Not Consul: PUT /v1/dev/faults {"count":N,"status":S,"body":B,"drop":true} fails the next N requests.
`;

export async function devServerCommand(
  args: string[],
  io: DevServerIo,
  /** For tests: resolves when the server should stop (default: SIGINT or SIGTERM). */
  stopSignal?: Promise<unknown>,
): Promise<number> {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args,
      options: {
        port: { type: 'string' },
        host: { type: 'string' },
        'acl-token': { type: 'string' },
        'acl-policy-file': { type: 'string' },
        data: { type: 'string' },
        'latency-ms': { type: 'string' },
        secure: { type: 'boolean' },
        'consul-version': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      allowPositionals: false,
    }));
  } catch (e) {
    io.stderr.write(`error: ${(e as Error).message}\n${DEV_SERVER_USAGE}`);
    return 1;
  }
  if (values.help) {
    io.stdout.write(DEV_SERVER_USAGE);
    return 0;
  }
  const num = (name: string, fallback: number): number | undefined => {
    const v = values[name];
    if (v === undefined) return fallback;
    const n = Number(v);
    if (!Number.isInteger(n) || n < 0) {
      io.stderr.write(`error: --${name} must be a non-negative integer, got "${String(v)}"\n`);
      return undefined;
    }
    return n;
  };
  const port = num('port', 8500);
  const latencyMs = num('latency-ms', 0);
  if (port === undefined || latencyMs === undefined) return 1;
  // Loaded once the flags are read: `dev-server --help` (main.ts prints DEV_SERVER_USAGE from this
  // module) must not wait for the whole server, its routes, ACL engine and the yaml library.
  const [{ loadAclPolicyFile }, { SECURE_AGENT }, { startDevServer }] = await Promise.all([
    import('./acl-policy-file.ts'),
    import('./agent-routes.ts'),
    import('./server.ts'),
  ]);
  const options: DevServerOptions = { port, host: (values.host as string | undefined) ?? '127.0.0.1', latencyMs };
  if (typeof values['acl-token'] === 'string') options.aclToken = values['acl-token'];
  if (typeof values.data === 'string') options.dataFile = values.data;
  if (values.secure === true) options.agent = SECURE_AGENT;
  if (typeof values['consul-version'] === 'string') options.consulVersion = values['consul-version'];
  if (typeof values['acl-policy-file'] === 'string') {
    try {
      options.acl = loadAclPolicyFile(values['acl-policy-file']);
    } catch (e) {
      io.stderr.write(`error: ${(e as Error).message}\n`);
      return 1;
    }
  }

  let server;
  try {
    server = await startDevServer(options);
  } catch (e) {
    io.stderr.write(`error: cannot start dev server: ${(e as Error).message}\n`);
    return 1;
  }
  io.stdout.write(`dev server listening on ${server.url}\n`);
  const stop =
    stopSignal ??
    new Promise<void>((resolve) => {
      const onSignal = () => {
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
        resolve();
      };
      process.on('SIGINT', onSignal);
      process.on('SIGTERM', onSignal);
    });
  await stop;
  await server.close();
  return 0;
}
