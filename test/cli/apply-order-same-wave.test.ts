// Apply sends a wave's writes side by side, so Consul may take them in any order; the simulation
// judged them in plan order. Two resolvers swap a Redirect: "api" stops redirecting to "web" while
// "web" starts redirecting to "api". In plan order ("api" first) every write passes; if "web" lands
// first, Consul refuses it (web -> api -> web: detected circular resolver redirect) and the apply
// stops half-way. A relay in front of the dev server hands Consul the resolver writes it holds in
// reverse order, as a busy network may; the plan must write such a wave one write at a time.
import { createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { devServerPerTest } from '../support/dev-server-per-test.ts';
import { runCli, tempTree } from '../support/run-cli.ts';

const server = devServerPerTest();

interface Held {
  req: IncomingMessage;
  body: Buffer;
  res: ServerResponse;
}

/** Relays to the dev server; resolver PUTs are held until two are open or none came for 200 ms, then sent last-first, one at a time. */
async function reversingRelay(target: string) {
  const held: Held[] = [];
  let idle: NodeJS.Timeout | undefined;
  const forward = (h: Held) =>
    new Promise<void>((done) => {
      const up = request(`${target}${h.req.url}`, { method: h.req.method, headers: h.req.headers }, (answer) => {
        h.res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(h.res);
        answer.on('end', done);
      });
      up.end(h.body);
    });
  const release = async () => {
    clearTimeout(idle);
    for (const h of held.splice(0).reverse()) await forward(h);
  };
  const relay = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const h = { req, body: Buffer.concat(chunks), res };
      if (req.method !== 'PUT' || !h.body.toString().includes('"service-resolver"')) return void forward(h);
      held.push(h);
      clearTimeout(idle);
      if (held.length >= 2) void release();
      else idle = setTimeout(() => void release(), 200);
    });
  });
  await new Promise<void>((r) => relay.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(relay.address() as AddressInfo).port}`, close: () => new Promise<void>((r) => relay.close(() => r())) };
}

let closeRelay: (() => Promise<void>) | undefined;
afterEach(async () => {
  await closeRelay?.();
  closeRelay = undefined;
});

const resolver = (name: string, redirectTo?: string) =>
  `Kind = "service-resolver"\nName = "${name}"\n` + (redirectTo ? `Redirect {\n  Service = "${redirectTo}"\n}\n` : `ConnectTimeout = "5s"\n`);

describe('a wave whose writes pass only in plan order', () => {
  it('is written one write at a time: the swap of a Redirect applies whatever order Consul would take side-by-side writes in', async () => {
    const cwd = tempTree({ 'config-entries/api.hcl': resolver('api', 'web'), 'config-entries/web.hcl': resolver('web') });
    const setup = await runCli(['apply', '--auto-approve', '--consul', server.url], cwd);
    expect(setup.stderr).toBe('');
    expect(setup.code).toBe(0);

    const relay = await reversingRelay(server.url);
    closeRelay = relay.close;
    writeFileSync(join(cwd, 'config-entries/api.hcl'), resolver('api'));
    writeFileSync(join(cwd, 'config-entries/web.hcl'), resolver('web', 'api'));
    const run = await runCli(['apply', '--auto-approve', '--consul', relay.url], cwd);
    expect(run.stderr).toBe('');
    expect(run.stdout).not.toContain('circular');
    expect(run.code).toBe(0);
    const web = (await (await fetch(`${server.url}/v1/config/service-resolver/web`)).json()) as { Redirect?: { Service: string } };
    expect(web.Redirect?.Service).toBe('api');
    expect((await runCli(['plan', '--detailed-exitcode', '--consul', server.url], cwd)).code).toBe(0);
  });
});
