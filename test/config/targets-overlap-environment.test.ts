// Under serve and the reconcile Lambda one process serves every target, so a target without
// consul.address uses that process's CONSUL_HTTP_ADDR: a second target whose own consul.address
// names that Consul (here `localhost` where the environment says 127.0.0.1) is on the same Consul,
// and each one's prune would delete what the other applied. Both refuse such a TARGETS_CONFIG.
import { afterAll, beforeAll, describe, it } from 'vitest';
import { startDevServer, type DevServer } from '../../src/dev-server/server.ts';
import { startServe } from '../../src/serve/server.ts';
import { expectServeAndLambdaRefuse, overlapEnv } from '../support/targets-overlap.ts';

let consul: DevServer;
beforeAll(async () => {
  consul = await startDevServer({ port: 0, host: '127.0.0.1' });
});
afterAll(() => consul.close());

describe('a target without consul.address beside one whose address is CONSUL_HTTP_ADDR', () => {
  it('serve refuses to start and the reconcile Lambda refuses the event, naming both and why', async () => {
    const port = new URL(consul.url).port;
    const env = overlapEnv(consul.url, [
      { name: 'team-a', dir: 'a' },
      { name: 'team-b', dir: 'b', consul: { address: `http://localhost:${port}/` } },
    ]);
    const words =
      /TARGETS_CONFIG: targets "team-a" and "team-b" overlap: .*"team-a" sets no consul\.address, so it uses CONSUL_HTTP_ADDR, which is the consul\.address of "team-b"/;
    await expectServeAndLambdaRefuse(env, words);
  });

  it('a target on another Consul beside one without an address is accepted', async () => {
    const env = overlapEnv(consul.url, [
      { name: 'team-a', dir: 'a' },
      { name: 'team-b', dir: 'b', consul: { address: 'http://127.0.0.1:9' } },
    ]);
    const serve = await startServe({ env, port: 0, host: '127.0.0.1', log: () => {}, scheduleIntervalMs: 0 });
    await serve.close();
  });
});
