// A dev server that starts holding entries as another Consul stored them (a newer field, an
// Enterprise field): its state file is written first, so the entries skip the write checks and
// decoding that a PUT to this dev server's version would apply. Loopback, free port.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDevServer, type DevServer, type DevServerOptions } from '../../src/dev-server/server.ts';

export async function devServerHolding(entries: readonly Record<string, unknown>[], options: Omit<DevServerOptions, 'dataFile'> = {}): Promise<DevServer> {
  const dataFile = join(mkdtempSync(join(tmpdir(), 'consul-gitops-holding-')), 'state.json');
  const index = 10;
  writeFileSync(
    dataFile,
    JSON.stringify({
      version: 1,
      index,
      tables: { 'config-entries': index },
      entries: entries.map((entry) => ({ entry, hash: '1', createIndex: index, modifyIndex: index })),
      kv: [],
      tombstones: [],
      nodes: [],
      services: [],
    }),
  );
  return startDevServer({ port: 0, host: '127.0.0.1', ...options, dataFile });
}
