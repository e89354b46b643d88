// The embedded Consul-compatible dev server (node:http only): the default target of `npm start`
// and the stand-in every test uses. Routes as agent/http_register.go registers them; Consul's
// method handling (405 + Allow, OPTIONS → 200 + Allow). Our own, non-Consul endpoint:
//   PUT /v1/dev/faults  {"count": N, "status"?: S, "body"?: B, "drop"?: true}  → fail next N requests.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AclPolicy, type AclConfig } from './acl.ts';
import { aclAuthorize } from './acl-routes.ts';
import { AGENT_NODE_NAME, AgentRoutes, INSECURE_AGENT, type AgentProfile } from './agent-routes.ts';
import { CatalogRoutes } from './catalog-routes.ts';
import { ConfigRoutes } from './config-routes.ts';
import { Faults, type FaultInjector } from './faults.ts';
import { HttpError, requestTarget, sendError, sendJson, sendText, type RequestContext } from './http-util.ts';
import { KvRoutes } from './kv-routes.ts';
import { decodeSnapshot, encodeSnapshot, GroupCommit, loadState, saveState } from './persistence.ts';
import { DevState } from './state.ts';
import { parseConsulVersion, SUPPORTED_CONSUL } from '../model/consul-versions.ts';
import { ConsulGitopsError } from '../errors.ts';

export interface DevServerOptions {
  /** 0 (default) = a free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Enables ACLs (default deny): this secret may do everything, no token is anonymous. */
  aclToken?: string;
  /** Enables ACLs with a default policy and scoped tokens (see acl-policy-file.ts); `aclToken` is added as a management token. */
  acl?: AclConfig;
  /** Persist state here (a write is answered once it is saved; concurrent writes share a save); loaded at start. */
  dataFile?: string;
  /** Added before every request is handled. */
  latencyMs?: number;
  /** The agent's gossip/TLS/CA/sidecar settings shown by /v1/agent/self and /v1/connect/ca/configuration (default: `consul agent -dev`). */
  agent?: AgentProfile;
  /** The Consul version to behave as and report in /v1/agent/self (default: the newest modelled, SUPPORTED_CONSUL.newest). */
  consulVersion?: string;
}

export interface DevServer {
  url: string;
  port: number;
  close(): Promise<void>;
  faults: FaultInjector;
}

type Handler = (ctx: RequestContext) => void | Promise<void>;

interface Route {
  /** Exact path, or prefix when it ends with "/". */
  path: string;
  methods: Record<string, Handler>;
}

export async function startDevServer(options: DevServerOptions = {}): Promise<DevServer> {
  const host = options.host ?? '127.0.0.1';
  const state = new DevState();
  let commits: GroupCommit | undefined;
  if (options.dataFile) {
    loadState(state, options.dataFile);
    const file = options.dataFile;
    // The text of the last save that succeeded: a failed save puts the state back to it.
    let saved = encodeSnapshot(state.snapshot());
    commits = new GroupCommit({
      file,
      save: () => {
        saved = saveState(state, file);
      },
      rollback: () => state.restore(decodeSnapshot(saved)),
    });
    state.onCommit = () => commits!.committed();
  }
  const faults = new Faults();
  const acl = new AclPolicy(aclConfigOf(options));
  const version = options.consulVersion ?? SUPPORTED_CONSUL.newest;
  const parsedVersion = parseConsulVersion(version);
  if (!parsedVersion) throw new ConsulGitopsError('usage', `consul version ${JSON.stringify(version)}: expected a version such as 1.21.4`);
  const config = new ConfigRoutes(acl, parsedVersion);
  const kv = new KvRoutes(acl);
  const catalog = new CatalogRoutes(acl);
  const agent = new AgentRoutes(acl, options.agent ?? INSECURE_AGENT, version);
  const kvHandler: Handler = (ctx) => kv.handle(ctx);
  // agent/http.go wrap sets it on every API endpoint, `allow` when ACLs are off; paths no endpoint
  // serves (the mux's index handler) and our own /v1/dev/ do not get it. One object for every
  // request: the routes only read it (answerHeaders copies, others spread it).
  const apiHeaders: Readonly<Record<string, string>> = Object.freeze({ 'X-Consul-Default-ACL-Policy': acl.defaultPolicyHeader });

  const routes: Route[] = [
    { path: '/v1/config', methods: { PUT: (c) => config.apply(c) } },
    { path: '/v1/config/', methods: { GET: (c) => config.config(c), DELETE: (c) => config.config(c) } },
    { path: '/v1/kv/', methods: { GET: kvHandler, PUT: kvHandler, DELETE: kvHandler } },
    { path: '/v1/catalog/register', methods: { PUT: (c) => catalog.register(c) } },
    { path: '/v1/catalog/deregister', methods: { PUT: (c) => catalog.deregister(c) } },
    { path: '/v1/agent/service/register', methods: { PUT: (c) => catalog.agentRegister(c, AGENT_NODE_NAME) } },
    { path: '/v1/health/connect/', methods: { GET: (c) => catalog.healthConnect(c) } },
    { path: '/v1/catalog/services', methods: { GET: (c) => catalog.services(c) } },
    { path: '/v1/catalog/datacenters', methods: { GET: (c) => catalog.datacenters(c) } },
    { path: '/v1/internal/acl/authorize', methods: { POST: (c) => aclAuthorize(c, acl) } },
    { path: '/v1/catalog/service/', methods: { GET: (c) => catalog.service(c) } },
    { path: '/v1/agent/self', methods: { GET: (c) => agent.self(c) } },
    { path: '/v1/acl/token/self', methods: { GET: (c) => agent.tokenSelf(c) } },
    { path: '/v1/connect/ca/configuration', methods: { GET: (c) => agent.caConfiguration(c) } },
    { path: '/v1/status/leader', methods: { GET: (c) => sendJson(c, 200, '127.0.0.1:8300') } },
    { path: '/v1/dev/faults', methods: { PUT: (c) => devFaults(c, faults) } },
  ];

  // The first route in the list that matches, as a scan would find it: exact paths by lookup.
  const exact = new Map<string, { route: Route; at: number }>();
  const prefixes: { route: Route; at: number }[] = [];
  routes.forEach((route, at) => (route.path.endsWith('/') ? prefixes.push({ route, at }) : exact.has(route.path) || exact.set(route.path, { route, at })));
  const routeOf = (path: string): Route | undefined => {
    const byPath = exact.get(path);
    const byPrefix = prefixes.find((p) => path.startsWith(p.route.path));
    return byPath && byPrefix ? (byPath.at < byPrefix.at ? byPath : byPrefix).route : (byPath ?? byPrefix)?.route;
  };

  const sockets = new Set<import('node:net').Socket>();
  const server: Server = createServer((req, res) => {
    void handle(req, res).catch((e: unknown) => {
      if (!res.headersSent) {
        res.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8' });
        res.end(e instanceof Error ? e.message : String(e));
      } else res.destroy();
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const bodyBytes = await readBody(req);
    // Every answer waits for the snapshot of the writes before it (GroupCommit).
    if (commits) holdUntilSaved(res, commits);
    if (options.latencyMs && options.latencyMs > 0) await new Promise((r) => setTimeout(r, options.latencyMs));
    const url = requestTarget(req.url ?? '/');
    if (url.pathname !== '/v1/dev/faults') {
      const fault = faults.take();
      if (fault?.kind === 'drop') {
        req.socket.destroy();
        return;
      }
      if (fault) {
        res.writeHead(fault.status, { 'Content-Type': 'text/plain; charset=utf-8' });
        res.end(fault.body);
        return;
      }
    }
    const ctx = new Context(req, res, url.pathname, url.searchParams, bodyBytes, state, apiHeaders);
    try {
      // A path without an escape is its own decoding.
      if (url.pathname.includes('%')) {
        try {
          ctx.path = decodeURIComponent(url.pathname);
        } catch {
          throw new HttpError(400, `invalid URL escape in path`);
        }
      }
      const route = routeOf(ctx.path);
      if (!route || route.path.startsWith('/v1/dev/')) ctx.baseHeaders = {};
      if (!route) return sendText(ctx, 404, '404 page not found\n');
      const method = req.method ?? 'GET';
      if (method === 'OPTIONS') {
        res.writeHead(200, { ...ctx.baseHeaders, Allow: allowed(route), 'Content-Length': '0' });
        res.end();
        return;
      }
      const handler = route.methods[method];
      if (!handler) throw new HttpError(405, `method ${method} not allowed`, { Allow: allowed(route) });
      // Most handlers answer synchronously: no await (and microtask) for them.
      const pending = handler(ctx);
      if (pending) await pending;
    } catch (e) {
      if (!res.headersSent) sendError(ctx, e);
    }
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const urlHost = host.includes(':') ? `[${host}]` : host;
  let closed: Promise<void> | undefined;
  return {
    url: `http://${urlHost}:${port}`,
    port,
    faults,
    close() {
      closed ??= new Promise<void>((resolve) => {
        commits?.flush();
        server.close(() => resolve());
        // Blocking queries hold connections open for minutes: end them now.
        for (const s of sockets) s.destroy();
      });
      return closed;
    },
  };
}

/**
 * One request as the routes see it. A class, so every request has the same shape: an object
 * literal with a getter (the lazy signal) is built as a dictionary-mode object, slow to build and
 * slow at every property read of every route.
 */
class Context implements RequestContext {
  body: string;
  token: string | undefined = undefined;
  baseHeaders: Record<string, string>;
  // Only a blocking query reads the signal: the controller and its 'close' listener are made on
  // first use, because aborting one on every closed response builds a DOMException per request
  // (a tenth of a write's CPU).
  #abort: AbortController | undefined = undefined;

  constructor(
    readonly req: IncomingMessage,
    readonly res: ServerResponse,
    public path: string,
    readonly query: URLSearchParams,
    readonly bodyBytes: Buffer,
    readonly state: DevState,
    /** The API endpoints' headers (startDevServer's `apiHeaders`), shared and never written. */
    apiHeaders: Readonly<Record<string, string>>,
  ) {
    this.body = bodyBytes.toString('utf8');
    this.baseHeaders = apiHeaders;
  }

  get signal(): AbortSignal {
    if (!this.#abort) {
      const controller = (this.#abort = new AbortController());
      if (this.res.closed) controller.abort();
      else this.res.once('close', () => controller.abort());
    }
    return this.#abort.signal;
  }
}

/**
 * Holds the answer (status, headers and body: all handlers answer with writeHead + end) until the
 * pending snapshot is saved; a failed save turns it into a 500 with the reason.
 */
function holdUntilSaved(res: ServerResponse, group: GroupCommit): void {
  const writeHead = res.writeHead.bind(res) as (...args: unknown[]) => ServerResponse;
  const end = res.end.bind(res) as (...args: unknown[]) => ServerResponse;
  let head: unknown[] | undefined;
  let ended = false;
  res.writeHead = (...args: unknown[]) => {
    if (!ended) head = args;
    return res;
  };
  res.end = ((...args: unknown[]) => {
    if (ended) return res;
    ended = true;
    group.hold(
      () => {
        if (head) writeHead(...head);
        end(...args);
      },
      (message) => {
        for (const name of res.getHeaderNames()) res.removeHeader(name);
        writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8' });
        end(message);
      },
    );
    return res;
  }) as typeof res.end;
}

/**
 * The request body, whole. Events rather than `for await`: an async iterator per request cost more
 * than reading a config entry's bytes. A request that closes before its end (client gone) fails.
 */
function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    // A config entry's body comes in one chunk: no copy of it.
    req.on('end', () => resolve(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks)));
    req.on('error', reject);
    req.on('close', () => {
      if (!req.complete) reject(new ConsulGitopsError('dev-server', 'request closed before its body was read'));
    });
  });
}

/** The Allow header of a route: OPTIONS and its methods. */
function allowed(route: Route): string {
  return ['OPTIONS', ...Object.keys(route.methods)].join(',');
}

function aclConfigOf(options: DevServerOptions): AclConfig | undefined {
  if (!options.acl && options.aclToken === undefined) return undefined;
  const base: AclConfig = options.acl ?? { defaultPolicy: 'deny', tokens: [] };
  if (options.aclToken === undefined) return base;
  return { ...base, tokens: [...base.tokens.filter((t) => t.secret !== options.aclToken), { secret: options.aclToken, management: true }] };
}

/** PUT /v1/dev/faults — not Consul: the out-of-process way to reach `faults.failNext`. */
function devFaults(ctx: RequestContext, faults: Faults): void {
  let spec: { count?: unknown; status?: unknown; body?: unknown; drop?: unknown };
  try {
    spec = JSON.parse(ctx.body || '{}') as typeof spec;
  } catch (e) {
    throw new HttpError(400, `Request decoding failed: ${(e as Error).message}`);
  }
  const count = Number(spec.count ?? 1);
  if (!Number.isInteger(count) || count < 0) throw new HttpError(400, 'count must be a non-negative integer');
  if (count === 0) faults.reset();
  else if (spec.drop === true) faults.failNext(count, 'drop');
  else
    faults.failNext(count, {
      ...(typeof spec.status === 'number' ? { status: spec.status } : {}),
      ...(typeof spec.body === 'string' ? { body: spec.body } : {}),
    });
  sendJson(ctx, 200, true);
}
