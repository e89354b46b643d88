// Problems in config-entry files carry a code where something decides by what they are
// (src/model/errors.ts ProblemCode): a script reading `plan --json` tells an unknown field from a
// wrong value by `code`, and the dev server answers unknown keys as Consul does without reading message text.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startDevServer, type DevServer } from '../../src/dev-server/server.ts';
import { runCli, tempTree } from '../support/run-cli.ts';

let server: DevServer;
beforeEach(async () => {
  server = await startDevServer({ port: 0, host: '127.0.0.1' });
});
afterEach(async () => {
  await server.close();
});

interface JsonProblem {
  file: string;
  line: number;
  field: string;
  message: string;
  code?: string;
}

async function planErrors(files: Record<string, string>): Promise<JsonProblem[]> {
  const run = await runCli(['plan', '--json', '--consul', server.url], tempTree(files));
  expect(run.code).toBe(1);
  const out = JSON.parse(run.stdout) as { error: { code: string; errors: JsonProblem[] } };
  expect(out.error.code).toBe('invalid-entries');
  return out.error.errors;
}

describe('problem codes in plan --json', () => {
  it('an unknown key is `unknown-field`; a wrong value has no code', async () => {
    const errors = await planErrors({
      'config-entries/api.hcl': 'Kind = "service-defaults"\nName = "api"\nProtocoll = "http"\n',
      'config-entries/web.hcl': 'Kind = "service-defaults"\nName = "web"\nMaxInboundConnections = "many"\n',
    });
    expect(errors).toEqual([
      expect.objectContaining({ file: 'config-entries/api.hcl', line: 3, field: 'Protocoll', code: 'unknown-field' }),
      expect.objectContaining({ file: 'config-entries/web.hcl', line: 3, field: 'MaxInboundConnections' }),
    ]);
    expect(errors[1]).not.toHaveProperty('code');
  });

  it('an unknown key in a CRD intention destination is `unknown-field` too', async () => {
    const crd = [
      'apiVersion: consul.hashicorp.com/v1alpha1',
      'kind: ServiceIntentions',
      'metadata:',
      '  name: api',
      'spec:',
      '  destination:',
      '    name: api',
      '    nmae: web',
      '  sources:',
      '    - name: web',
      '      action: allow',
      '',
    ].join('\n');
    const errors = await planErrors({ 'config-entries/api.yaml': crd });
    expect(errors).toEqual([expect.objectContaining({ field: 'spec.destination.nmae', code: 'unknown-field' })]);
  });

  it('a router on a tcp service is reported once, from the service protocol', async () => {
    const errors = await planErrors({
      'config-entries/api.hcl': 'Kind = "service-defaults"\nName = "api"\nProtocol = "tcp"\n',
      'config-entries/api-router.hcl': 'Kind = "service-router"\nName = "api"\nRoutes = [{ Match { HTTP { PathPrefix = "/v2" } } }]\n',
    });
    expect(errors.filter((e) => e.message.includes('does not permit advanced routing'))).toHaveLength(1);
  });
});

describe('dev server: unknown keys answered as one go-multierror list', () => {
  it('PUT with two unknown keys and no other problem', async () => {
    const res = await fetch(`${server.url}/v1/config`, {
      method: 'PUT',
      body: JSON.stringify({ Kind: 'service-defaults', Name: 'api', Protocoll: 'http', Foo: 1 }),
    });
    expect(res.status).toBe(400);
    expect(await res.text()).toBe('Request decoding failed: 2 errors occurred:\n\t* invalid config key "Protocoll"\n\t* invalid config key "Foo"\n\n');
  });
});
