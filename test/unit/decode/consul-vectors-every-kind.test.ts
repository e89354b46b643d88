// Issue 11's "Done when": the decode vectors cover every kind in HCL snake_case, HCL CamelCase, JSON
// and CRD YAML. The vectors are Consul's and consul-k8s's own test cases
// (test/fixtures/decode-vectors/every-kind.ts names each); this file enumerates the registry's kinds,
// fails when a kind lacks a form, and renders every vector through the CLI's `render`.
import { describe, expect, it } from 'vitest';
import { KINDS } from '../../../src/model/registry.ts';
import { KIND_VECTORS, type Form } from '../../fixtures/decode-vectors/every-kind.ts';
import { runCli, tempTree } from '../../support/run-cli.ts';

const FORMS: readonly Form[] = ['hcl-snake', 'hcl-camel', 'json', 'crd-yaml'];
const EXT: Record<Form, string> = { 'hcl-snake': 'hcl', 'hcl-camel': 'hcl', json: 'json', 'crd-yaml': 'yaml' };

/**
 * Kinds no CRD can carry, and why. consul-k8s writes these entries from Kubernetes Gateway API
 * resources (gateway.networking.k8s.io Gateway, HTTPRoute, TCPRoute; certificates from Secrets),
 * translated in control-plane/api-gateway; its consul.hashicorp.com/v1alpha1 group has no CRD of
 * these kinds (api_gateway_types.go there holds GatewayClassConfig and MeshService only).
 */
const NO_CRD: Record<string, string> = {
  'api-gateway': 'written from a gateway.networking.k8s.io Gateway',
  'http-route': 'written from a gateway.networking.k8s.io HTTPRoute',
  'tcp-route': 'written from a gateway.networking.k8s.io TCPRoute',
  'inline-certificate': 'written from a Kubernetes Secret a Gateway listener references',
  'file-system-certificate': 'written from a Gateway listener (file-system certificates on the gateway pod)',
};

/** The kinds a file may hold: bound-api-gateway is written by Consul's controller only. */
const FILE_KINDS = KINDS.filter((k) => !k.controllerOwned);

function vectorsOf(form: Form) {
  return KIND_VECTORS.flatMap((k) => k.forms.filter((f) => f.form === form).map((f) => ({ kind: k.kind, vector: f, expected: f.expected ?? k.expected })));
}

describe("Consul's decode vectors cover every kind in every form", () => {
  it('every kind has a vector in HCL snake_case, HCL CamelCase and JSON, and one in CRD YAML unless consul-k8s has no CRD of it', () => {
    const missing = FILE_KINDS.flatMap((k) =>
      FORMS.filter((form) => !(form === 'crd-yaml' && NO_CRD[k.kind]))
        .filter((form) => !KIND_VECTORS.some((v) => v.kind === k.kind && v.forms.some((f) => f.form === form)))
        .map((form) => `${k.kind} (${form})`),
    );
    expect(missing).toEqual([]);
    // Every vector names its source.
    expect(
      KIND_VECTORS.flatMap((k) =>
        k.forms.filter((f) => !/TestParseConfigEntry|TestDecodeConfigEntry|_ToConsul|^derived: /.test(f.source)).map((f) => `${k.kind} (${f.form})`),
      ),
    ).toEqual([]);
  });

  it('the kinds without a CRD vector are exactly those without a consul-k8s CRD, and a CRD of one is refused', async () => {
    expect(Object.keys(NO_CRD).sort()).toEqual(
      FILE_KINDS.filter((k) => !k.crdKind)
        .map((k) => k.kind)
        .sort(),
    );
    const run = await runCli(
      ['render', '--json', '.'],
      tempTree({ 'gw.yaml': 'apiVersion: consul.hashicorp.com/v1alpha1\nkind: APIGateway\nmetadata:\n  name: gw\nspec: {}\n' }),
    );
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('gw.yaml');
  });

  for (const form of FORMS) {
    it(`each ${form} vector renders to the entry its test expects`, async () => {
      const vectors = vectorsOf(form);
      const files = Object.fromEntries(vectors.map((v, i) => [`${String(i).padStart(2, '0')}-${v.kind}.${EXT[form]}`, v.vector.text]));
      const run = await runCli(['render', '--json', '.'], tempTree(files));
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      const rendered = JSON.parse(run.stdout) as Record<string, unknown>[];
      // render orders entries as apply does; each form holds one vector per kind.
      expect(Object.fromEntries(rendered.map((e) => [e.Kind, e]))).toEqual(Object.fromEntries(vectors.map((v) => [v.kind, v.expected])));
    });
  }
});
