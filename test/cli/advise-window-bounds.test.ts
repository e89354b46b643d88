// `advise --window` at its edges, through main(): a window so long that its start is before any
// date JavaScript can hold crashed the run with a bare "Invalid time value"; it is refused as a
// usage error naming the flag, like a window of zero.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDevServer, type DevServer } from '../../src/dev-server/server.ts';
import { runAdvise } from '../support/run-advise.ts';
import { tempTree } from '../support/run-cli.ts';

let server: DevServer;
beforeAll(async () => {
  server = await startDevServer({ host: '127.0.0.1', port: 0 });
});
afterAll(() => server.close());

const TREE = { 'config-entries/orders.hcl': 'Kind = "service-defaults"\nName = "orders"\nMutualTLSMode = "permissive"\n' };

describe('advise --window out of range', () => {
  it('a window of 280000 years is a usage error naming --window, as a window of zero is', async () => {
    const zero = await runAdvise(server.url, ['--window', '0d'], { cwd: tempTree(TREE) });
    const huge = await runAdvise(server.url, ['--window', '280000y'], { cwd: tempTree(TREE) });
    expect(huge.stdout).toBe('');
    expect(huge.stderr).toContain('--window: "280000y" is longer than 100y');
    expect(huge.code).toBe(zero.code);
    expect(zero.stderr).toContain('--window: "0d" must be longer than zero');
  });
});
