// The YAML merge key (`<<: *anchor`), which go-yaml applies and so kubectl and consul-k8s do: a CRD
// written with it renders as Kubernetes would hand it to consul-k8s, keys written in the map winning
// over merged ones. A `<<` that names no map is an error naming file, line and column.
import { describe, expect, it } from 'vitest';
import { runCli, tempTree } from '../support/run-cli.ts';

const CRD = `apiVersion: consul.hashicorp.com/v1alpha1
kind: ServiceDefaults
metadata:
  name: api
spec:
  protocol: http
  upstreamConfig:
    defaults: &upstream
      connectTimeoutMs: 5000
      protocol: http
    overrides:
      - name: db
        <<: *upstream
        protocol: tcp
`;

describe('a YAML merge key', () => {
  it('merges the anchored map as kubectl does, written keys winning', async () => {
    const cwd = tempTree({ 'config-entries/api.yaml': CRD });
    const r = await runCli(['render', '--json'], cwd);
    expect(r.stderr).toBe('');
    const [entry] = JSON.parse(r.stdout);
    expect(entry.UpstreamConfig.Overrides).toEqual([{ Name: 'db', ConnectTimeoutMs: 5000, Protocol: 'tcp' }]);
    expect(entry.UpstreamConfig.Defaults).toEqual({ ConnectTimeoutMs: 5000, Protocol: 'http' });
  });

  it('naming something else than a map is an error naming file, line and column', async () => {
    const cwd = tempTree({ 'config-entries/api.yaml': 'Kind: service-defaults\nName: api\n<<: 5\n' });
    const r = await runCli(['validate'], cwd);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('config-entries/api.yaml:3:5: a merge key "<<" takes a map or a list of maps');
  });
});
