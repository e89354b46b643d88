// Every case of Consul's own decode tests, run through `consul-gitops render --json` (and, for the
// HTTP-layer cases, through the dev server's body decoder).
import { describe, expect, it } from 'vitest';
import vectors from '../../fixtures/consul-decode-vectors.json' with { type: 'json' };
import { decodeApiBody } from '../../../src/decode/api-body.ts';
import { kindDefinition } from '../../../src/model/registry.ts';
import { zodOf } from '../../../src/model/field-types.ts';
import { runCli, tempTree } from '../../support/run-cli.ts';

interface Vector {
  name: string;
  format: 'hcl' | 'json';
  input: string;
  expected: Record<string, unknown> | null;
  layer: string;
  expectErr?: string;
}

describe('Consul decode vectors through render --json', () => {
  for (const v of vectors as Vector[]) {
    it(v.name, async () => {
      if (v.layer.startsWith('http')) {
        const outcome = decodeApiBody(v.input);
        expect(outcome.ok).toBe(false);
        if (!outcome.ok) expect(outcome.message).toBe(v.expectErr);
        return;
      }
      const file = `entry.${v.format}`;
      const run = await runCli(['render', '--json', file], tempTree({ [file]: v.input }));
      if (v.expected === null) {
        expect(run.code).toBe(1);
        expect(run.stdout).toBe('');
        expect(run.stderr.toLowerCase()).toContain(v.expectErr!.toLowerCase());
        return;
      }
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      const [entry] = JSON.parse(run.stdout);
      expect(entry).toEqual(v.expected);
      // The rendered entry conforms to the registry's zod schema of its kind (the API form).
      const { Kind, ...fields } = entry;
      expect(zodOf({ t: 'object', fields: kindDefinition(Kind)!.fields }).safeParse(fields).success).toBe(true);
    });
  }

  it("the kind's zod schema refuses a field of the wrong type or an unknown field", () => {
    const schema = zodOf({ t: 'object', fields: kindDefinition('service-defaults')!.fields });
    expect(schema.safeParse({ Name: 'web', Protocol: 'http', UpstreamConfig: { Defaults: { ConnectTimeoutMs: 5 } } }).success).toBe(true);
    expect(schema.safeParse({ Name: 'web', Protocol: 5 }).success).toBe(false);
    expect(schema.safeParse({ Name: 'web', Protocl: 'http' }).success).toBe(false);
  });

  it('validate refuses the decodable proxy-defaults named "main" with Consul\'s message', async () => {
    const v = (vectors as Vector[]).find((x) => x.name === 'proxy-defaults (hcl snake_case)')!;
    const run = await runCli(['validate', 'pd.hcl'], tempTree({ 'pd.hcl': v.input }));
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('pd.hcl:2:1: Name: invalid name ("main"), only "global" is supported');
  });
});
