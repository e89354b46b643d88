// `consul-gitops serve [--port 8080] [--host 127.0.0.1] [--env-file FILE]`: the webhook, reconcile
// and schedule functions in one long-lived process, until SIGINT/SIGTERM.
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { RuntimeOverrides } from '../runtime/build-runtime.ts';
import type { ServeHandle } from '../serve/server.ts';
import type { Env } from '../serve/settings.ts';
import type { CliIo } from './io.ts';

export const SERVE_USAGE = `Usage: consul-gitops serve [--port 8080] [--host 127.0.0.1] [--env-file FILE]
  Receives GitHub webhooks and reconciles in-process; checks for drift on a timer.
  POST /webhook   the GitHub webhook (content type application/json, secret GITHUB_WEBHOOK_SECRET)
  GET  /healthz   200 ok
  --port       listen port (default 8080; 0 = any free port)
  --host       listen address (default 127.0.0.1; 0.0.0.0 in a container)
  --env-file   KEY=VALUE lines added to the environment (variables already set win)
Environment: the webhook secret in WEBHOOK_SECRET_ARN (Secrets Manager), WEBHOOK_SECRET_PARAMETER (SSM)
  or GITHUB_WEBHOOK_SECRET (one is required); LOG_LEVEL (info); GITHUB_TOKEN, or GITHUB_APP_ID,
  GITHUB_APP_INSTALLATION_ID and GITHUB_APP_PRIVATE_KEY; GITHUB_REPOSITORY (owner/name, required:
  deliveries from any other repository are ignored); GITHUB_API_URL; DEFAULT_BRANCH (main); CONFIG_DIR (config-entries);
  TARGETS_CONFIG; PRUNE; SELF_HEAL; STATE_PREFIX; CONSUL_HTTP_ADDR, CONSUL_HTTP_TOKEN, ...;
  SCHEDULE_INTERVAL (15m; 0 = off); STOP_TIMEOUT (30s); DELIVERY_MEMORY (1000).
Limits (a request without a well-formed X-Hub-Signature-256 and X-GitHub-Event is refused before its
  body is read): MAX_BUFFERED_BYTES (64 MiB of raw bodies held at once across connections; past it
  503 with Retry-After; memory peaks at about twice that, with each body's decoded text), MAX_CONNECTIONS (256), HEADERS_TIMEOUT (10s), BODY_IDLE_TIMEOUT (10s),
  REQUEST_TIMEOUT (60s, headers and body).
`;

export interface ServeCommandDeps {
  /** Default: process.env. */
  env?: Env;
  overrides?: RuntimeOverrides;
  /** Where JSON log lines go (default: io.stdout). */
  log?: (line: string) => void;
}

export async function serveCommand(
  args: string[],
  io: CliIo,
  /** For tests: resolves when the server should stop (default: SIGINT or SIGTERM). */
  stopSignal?: Promise<unknown>,
  deps: ServeCommandDeps = {},
): Promise<number> {
  let values: { port?: string; host?: string; 'env-file'?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      args,
      options: { port: { type: 'string' }, host: { type: 'string' }, 'env-file': { type: 'string' }, help: { type: 'boolean', short: 'h' } },
      allowPositionals: false,
    }));
  } catch (e) {
    io.stderr.write(`error: ${(e as Error).message}\n${SERVE_USAGE}`);
    return 1;
  }
  if (values.help) {
    io.stdout.write(SERVE_USAGE);
    return 0;
  }
  const port = Number(values.port ?? 8080);
  if (!/^\d+$/.test(values.port ?? '8080') || port > 65535) {
    io.stderr.write(`error: --port must be an integer from 0 to 65535\n`);
    return 1;
  }
  const host = values.host ?? '127.0.0.1';
  // Loaded once the flags are read: `serve --help` (main.ts prints SERVE_USAGE from this module)
  // must not wait for the server's graph, the AWS and GitHub clients with it, on a loaded machine.
  const { EnvFileError, parseEnvFile, ServeConfigError } = await import('../serve/settings.ts');
  // Loaded here, not at the top: `serve --help` loads nothing beyond this module (test/cli/help-and-pipes.test.ts).
  const { readRegularFile } = await import('../adapters/files/regular-file.ts');

  let env: Env = deps.env ?? process.env;
  let overrides = deps.overrides;
  if (values['env-file']) {
    const file = resolve(io.cwd ?? process.cwd(), values['env-file']);
    // A FIFO or /dev/zero named here would hang the start or fill memory: a regular file of 1 MiB at most.
    const read = readRegularFile(file, 1024 * 1024);
    if (!read.ok) {
      io.stderr.write(`error: cannot read --env-file ${values['env-file']}: ${read.reason}\n`);
      return 1;
    }
    const text = read.text;
    try {
      // As Node's --env-file: a variable already set in the environment wins over the file.
      const fromFile = parseEnvFile(text, values['env-file']);
      // A TARGETS_CONFIG written in the env file names its tokenFile/caCert relative to that file, as
      // consul-gitops.yaml does to its own folder: a systemd unit's working directory is `/`.
      if (fromFile.TARGETS_CONFIG !== undefined && env.TARGETS_CONFIG === undefined) overrides = { targetsConfigDir: dirname(file), ...overrides };
      env = { ...fromFile, ...definedOnly(env) };
    } catch (e) {
      if (e instanceof EnvFileError) {
        io.stderr.write(`error: ${e.message}\n`);
        return 1;
      }
      throw e;
    }
  }

  let serve: ServeHandle;
  try {
    const { startServe } = await import('../serve/server.ts');
    serve = await startServe({
      env,
      port,
      host,
      ...(overrides ? { overrides } : {}),
      log: deps.log ?? ((line) => io.stdout.write(`${line}\n`)),
    });
  } catch (e) {
    const message = e instanceof ServeConfigError ? e.message : `cannot start: ${(e as Error).message}`;
    io.stderr.write(`error: ${message}\n`);
    return 1;
  }
  io.stdout.write(`consul-gitops serve listening on ${serve.url}\n`);

  let removeHandlers = () => {};
  const stop =
    stopSignal ??
    new Promise<void>((resolveStop) => {
      const onSignal = () => resolveStop();
      process.once('SIGINT', onSignal);
      process.once('SIGTERM', onSignal);
      removeHandlers = () => {
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
      };
    });
  await stop;
  removeHandlers();
  await serve.close();
  return 0;
}

function definedOnly(env: Env): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) if (v !== undefined) out[k] = v;
  return out;
}
