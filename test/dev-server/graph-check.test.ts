import { describe, expect, it } from 'vitest';
import { graphError } from '../../src/dev-server/graph-check.ts';
import type { ApiEntry } from '../../src/model/kind-definition.ts';

const sd = (name: string, protocol?: string): ApiEntry => ({ Kind: 'service-defaults', Name: name, ...(protocol ? { Protocol: protocol } : {}) });
const pd = (protocol?: string): ApiEntry => ({ Kind: 'proxy-defaults', Name: 'global', ...(protocol ? { Config: { protocol } } : {}) });
const router = (name: string): ApiEntry => ({ Kind: 'service-router', Name: name });
const splitter = (name: string): ApiEntry => ({ Kind: 'service-splitter', Name: name, Splits: [{ Weight: 100 }] });
const chainMsg = (s: string, p: string) => `discovery chain "${s}" uses a protocol "${p}" that does not permit advanced routing or splitting behavior`;

describe('state-store graph validation', () => {
  it('routers/splitters need an HTTP-like protocol from service-defaults or proxy-defaults', () => {
    expect(graphError([], undefined, splitter('main'))).toBe(chainMsg('main', 'tcp'));
    expect(graphError([sd('main', 'tcp')], undefined, router('main'))).toBe(chainMsg('main', 'tcp'));
    expect(graphError([sd('main', 'http')], undefined, router('main'))).toBeUndefined();
    expect(graphError([pd('grpc')], undefined, splitter('main'))).toBeUndefined();
  });

  it('refuses removing or downgrading what a router/splitter depends on', () => {
    const main = sd('main', 'http');
    const s = splitter('main');
    expect(graphError([main, s], main, undefined)).toBe(chainMsg('main', 'tcp'));
    expect(graphError([main, s], main, sd('main', 'tcp'))).toBe(chainMsg('main', 'tcp'));
    const global = pd('http');
    expect(graphError([global, s], global, undefined)).toBe(chainMsg('main', 'tcp'));
    // still fine while a service-defaults provides http
    expect(graphError([global, main, s], global, undefined)).toBeUndefined();
    // the splitter itself can always go
    expect(graphError([main, s], s, undefined)).toBeUndefined();
  });

  it('gates permissive mTLS on the mesh entry, except for an entry already permissive', () => {
    const perm = { ...sd('web'), MutualTLSMode: 'permissive' };
    const msg = 'cannot set MutualTLSMode=permissive because AllowEnablingPermissiveMutualTLS=false in the mesh config entry';
    expect(graphError([], undefined, perm)).toBe(msg);
    expect(graphError([{ Kind: 'mesh', AllowEnablingPermissiveMutualTLS: true }], undefined, perm)).toBeUndefined();
    expect(graphError([perm], perm, { ...perm, Protocol: 'http' })).toBeUndefined();
    expect(graphError([], undefined, { ...pd(), MutualTLSMode: 'permissive' })).toBe(msg);
    // deletes never check the gate
    expect(graphError([perm], perm, undefined)).toBeUndefined();
  });
});
