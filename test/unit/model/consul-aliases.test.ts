// Class 1 of issue 11: every field's accepted snake_case spellings are Consul's `alias` tags, held in
// one explicit table (src/model/consul-aliases.ts), never a naming rule's guess.
import { describe, expect, it } from 'vitest';
import { CONSUL_ALIASES } from '../../../src/model/consul-aliases.ts';
import { aliasesOf, fieldSpec, type FieldType, type ObjectFields } from '../../../src/model/field-types.ts';
import { KINDS } from '../../../src/model/registry.ts';
import { runCli, tempTree } from '../../support/run-cli.ts';

/** Every field path of the registry with the spellings the decoder accepts besides the Go name. */
function registrySpellings(fields: ObjectFields, prefix = '', out: Record<string, readonly string[]> = {}): Record<string, readonly string[]> {
  for (const [name, f] of Object.entries(fields)) {
    const spec = fieldSpec(f);
    const path = prefix ? `${prefix}.${name}` : name;
    const aliases = aliasesOf(name, spec);
    // A one-word field can have no alias other than its own lower case.
    if (aliases.length || /[a-z0-9][A-Z]/.test(name)) out[path] = aliases;
    let t: FieldType = spec.type;
    let p = path;
    while (t.t === 'list' || t.t === 'map') {
      p += t.t === 'list' ? '[]' : '{}';
      t = t.of;
    }
    if (t.t === 'object') registrySpellings(t.fields, p, out);
  }
  return out;
}

async function validate(name: string, text: string) {
  return runCli(['validate', name], tempTree({ [name]: text }));
}

describe('alias table', () => {
  it('covers exactly the kinds of the registry', () => {
    expect(Object.keys(CONSUL_ALIASES).sort()).toEqual(KINDS.map((k) => k.kind).sort());
  });

  for (const def of KINDS)
    it(`${def.kind}: every field's accepted spellings equal the table's, and the table names no field the registry lacks`, () => {
      expect(registrySpellings(def.fields)).toEqual(CONSUL_ALIASES[def.kind]);
    });
});

// Consul's own cases: command/helpers/helpers_test.go TestParseConfigEntry decodes snake_case
// service-defaults with `passive_health_check { ... enforcing_consecutive_5xx ... }` as the CLI does.
describe('spellings as `consul config write` takes them', () => {
  it('service-defaults accepts enforcing_consecutive_5xx like ingress-gateway does', async () => {
    const run = await validate(
      'web.hcl',
      `Kind = "service-defaults"
Name = "web"
upstream_config {
  defaults {
    passive_health_check {
      max_failures = 5
      enforcing_consecutive_5xx = 80
    }
  }
}
`,
    );
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
  });

  it('refuses the snake_case of fields that carry no alias tag, as Consul does', async () => {
    const run = await validate(
      'web.hcl',
      `Kind = "service-defaults"
Name = "web"
EnvoyExtensions = [{ Name = "builtin/lua", consul_version = ">= 1.15" }]
Expose { Paths = [{ Path = "/m", parsed_from_check = true }] }
`,
    );
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('invalid config key "EnvoyExtensions[0].consul_version"');
    expect(run.stderr).toContain('invalid config key "Expose.Paths[0].parsed_from_check"');
  });

  it('refuses section_name on a route parent (api ResourceReference has no tags)', async () => {
    const run = await validate(
      'r.hcl',
      `Kind = "tcp-route"
Name = "r"
Parents = [{ Name = "gw", section_name = "l1" }]
Services = [{ Name = "db" }]
`,
    );
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('invalid config key "Parents[0].section_name"');
  });
});
