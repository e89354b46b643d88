// Issue 11 class 2, from Consul's newest (2026) sources: terminating-gateway CredentialInjection
// {UDSPath, MessageTimeout} and Services[].Credential {Mode, BindingID}.
// - Spellings: agent/structs/config_entry_credential_injection_test.go TestDecodeTerminatingGatewayCredential
//   and _SnakeCase (credential_injection, uds_path, message_timeout, binding_id).
// - Consul CE refuses both: agent/structs/config_entry_gateways_credential_ce.go validateCredentialInjection,
//   texts pinned by TestTerminatingGatewayCredentialInjection_CE.
// - No release changelog shows them: FIELD_SINCE dates them at the newest modelled version (2.1.0).
// - consul-k8s's CRD has neither; its spec.deployment.credentialInjection is the gateway's sidecars.
import { afterEach, describe, expect, it } from 'vitest';
import { startDevServer, type DevServer } from '../../src/dev-server/server.ts';
import { targetsYaml } from '../support/consul-version-examples.ts';
import { runCli, tempTree } from '../support/run-cli.ts';

const SNAKE = `kind = "terminating-gateway"
name = "camp-egress"
credential_injection {
  uds_path        = "/run/camp-auth/processor.sock"
  message_timeout = "500ms"
}
services = [
  {
    name    = "openai-a"
    ca_file = "/etc/ssl/certs/ca-certificates.crt"
    sni     = "api.openai.com"
    credential {
      mode       = "inject"
      binding_id = "openai-a"
    }
  },
]
`;

const CAMEL = `Kind = "terminating-gateway"
Name = "camp-egress"
CredentialInjection {
  UDSPath        = "/run/camp-auth/processor.sock"
  MessageTimeout = "500ms"
}
Services = [
  {
    Name   = "openai-a"
    CAFile = "/etc/ssl/certs/ca-certificates.crt"
    SNI    = "api.openai.com"
    Credential {
      Mode      = "inject"
      BindingID = "openai-a"
    }
  },
]
`;

const JSON_FILE = JSON.stringify({
  Kind: 'terminating-gateway',
  Name: 'camp-egress',
  CredentialInjection: { UDSPath: '/run/camp-auth/processor.sock', MessageTimeout: '500ms' },
  Services: [{ Name: 'openai-a', CAFile: '/etc/ssl/certs/ca-certificates.crt', SNI: 'api.openai.com', Credential: { Mode: 'inject', BindingID: 'openai-a' } }],
});

const EXPECTED = {
  Kind: 'terminating-gateway',
  Name: 'camp-egress',
  CredentialInjection: { UDSPath: '/run/camp-auth/processor.sock', MessageTimeout: '500ms' },
  Services: [{ Name: 'openai-a', CAFile: '/etc/ssl/certs/ca-certificates.crt', SNI: 'api.openai.com', Credential: { Mode: 'inject', BindingID: 'openai-a' } }],
};

let server: DevServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('terminating-gateway credential injection: spellings', () => {
  it('HCL snake_case, HCL CamelCase and JSON render the same entry, as Consul decodes them', async () => {
    for (const [name, text] of [
      ['tgw.hcl', SNAKE],
      ['tgw.hcl', CAMEL],
      ['tgw.json', JSON_FILE],
    ] as const) {
      const run = await runCli(['render', '--json'], tempTree({ [`config-entries/${name}`]: text }));
      expect(run.stderr, text).toBe('');
      expect(run.code).toBe(0);
      expect(JSON.parse(run.stdout)).toEqual([EXPECTED]);
    }
  });
});

describe('terminating-gateway credential injection: what Consul CE says', () => {
  it('validate refuses the gateway block with Consul CE text, naming file, line and field; exit 1', async () => {
    const run = await runCli(['validate'], tempTree({ 'config-entries/tgw.hcl': SNAKE }));
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/config-entries\/tgw\.hcl:3:\d+: CredentialInjection: credential injection is a consul enterprise feature/);
  });

  it('validate refuses a service credential alone with the service named, as Consul CE does', async () => {
    const text = `Kind = "terminating-gateway"
Name = "camp-egress"
Services = [
  { Name = "legacy" },
  { Name = "openai-a", Credential { Mode = "none" } },
]
`;
    const run = await runCli(['validate'], tempTree({ 'config-entries/tgw.hcl': text }));
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/tgw\.hcl:5:\d+: Services\[1\]\.Credential: service "openai-a": credential injection is a consul enterprise feature/);
  });

  it('the dev server (CE, newest) answers a PUT with the same text and stores nothing', async () => {
    server = await startDevServer({ port: 0, host: '127.0.0.1' });
    const put = await fetch(`${server.url}/v1/config`, { method: 'PUT', body: JSON_FILE });
    expect(put.ok).toBe(false);
    expect(await put.text()).toContain('credential injection is a consul enterprise feature');
    expect((await fetch(`${server.url}/v1/config/terminating-gateway/camp-egress`)).status).toBe(404);
  });

  it('a dev server started as 2.0 does not know the fields: invalid config key, before Validate', async () => {
    server = await startDevServer({ port: 0, host: '127.0.0.1', consulVersion: '2.0.0' });
    const put = await fetch(`${server.url}/v1/config`, { method: 'PUT', body: JSON_FILE });
    expect(put.status).toBe(400);
    const body = await put.text();
    expect(body).toContain('invalid config key "CredentialInjection"');
    expect(body).toContain('invalid config key "Services[0].Credential"');
  });
});

describe('terminating-gateway credential injection: the target version', () => {
  it('a 2.0 target is warned that its Consul does not know the fields (dated at 2.1.0, the newest modelled)', async () => {
    const run = await runCli(['validate', 'config-entries'], tempTree({ 'consul-gitops.yaml': targetsYaml('2.0.0'), 'config-entries/tgw.hcl': CAMEL }));
    expect(run.stderr).toContain(
      'config-entries/tgw.hcl:3:1: CredentialInjection: Consul 2.0.0 (target "prod") does not know this field, added in Consul 2.1.0',
    );
    expect(run.stderr).toMatch(
      /tgw\.hcl:12:\d+: Services\[0\]\.Credential: Consul 2\.0\.0 \(target "prod"\) does not know this field, added in Consul 2\.1\.0/,
    );
  });
});

describe('TerminatingGateway CRD and credential injection (consul-k8s terminatinggateway_types.go)', () => {
  const crd = (spec: string[]) =>
    ['apiVersion: consul.hashicorp.com/v1alpha1', 'kind: TerminatingGateway', 'metadata:', '  name: tgw', 'spec:', ...spec.map((l) => `  ${l}`), ''].join('\n');

  it("spec.deployment.credentialInjection (the gateway's sidecars) is accepted and leaves the entry as it is", async () => {
    const run = await runCli(
      ['render', '--json'],
      tempTree({
        'config-entries/tgw.yaml': crd([
          'services:',
          '  - name: openai-a',
          'deployment:',
          '  enabledDeployment: true',
          '  credentialInjection:',
          '    enabled: true',
          '    processorImage: example/processor@sha256:0',
          '    processorConfigMap: processor',
        ]),
      }),
    );
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout)).toEqual([{ Kind: 'terminating-gateway', Name: 'tgw', Services: [{ Name: 'openai-a' }] }]);
  });

  it('spec.credentialInjection and services[].credential are refused: consul-k8s never writes them into the entry', async () => {
    const top = await runCli(['render'], tempTree({ 'config-entries/tgw.yaml': crd(['credentialInjection:', '  udsPath: /run/x.sock']) }));
    expect(top.code).toBe(1);
    expect(top.stderr).toMatch(/tgw\.yaml:6:\d+: spec\.credentialInjection: invalid key "credentialInjection"/);
    const svc = await runCli(['render'], tempTree({ 'config-entries/tgw.yaml': crd(['services:', '  - name: a', '    credential:', '      mode: inject']) }));
    expect(svc.code).toBe(1);
    expect(svc.stderr).toMatch(/tgw\.yaml:8:\d+: spec\.services\[0\]\.credential: invalid key "credential"/);
  });
});
