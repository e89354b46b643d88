import { describe, expect, it } from 'vitest';
import { BexprError, SERVICE_CONFIG_ENTRY_FIELDS, filterList, parseBexpr } from '../../src/core/bexpr.ts';

const entries = [
  { Kind: 'service-defaults', Name: 'svc1', Meta: { team: 'a' } },
  { Kind: 'service-defaults', Name: 'svc2', MutualTLSMode: 'strict', Protocol: 'http', Destination: { Addresses: ['a.example', '10.0.0.1'], Port: 443 } },
  { Kind: 'service-defaults', Name: 'svc3', MutualTLSMode: 'permissive', Protocol: 'grpc', TransparentProxy: { DialedDirectly: true } },
];

const names = (filter: string) => filterList(filter, entries, (e) => e, SERVICE_CONFIG_ENTRY_FIELDS).map((e) => e.Name);

describe('go-bexpr v0.1.2 filters over service-defaults', () => {
  it('matches the Consul test vectors (TestConfigEntry_List_Filter)', () => {
    expect(names('MutualTLSMode == ""')).toEqual(['svc1']);
    expect(names('MutualTLSMode == "strict"')).toEqual(['svc2']);
    expect(names('MutualTLSMode == "permissive"')).toEqual(['svc3']);
  });

  it('supports every operator, value form and combinator', () => {
    expect(names('Protocol != "http"')).toEqual(['svc1', 'svc3']);
    expect(names('Protocol == http')).toEqual(['svc2']);
    expect(names('Protocol == `grpc`')).toEqual(['svc3']);
    expect(names('Destination.Port == 443')).toEqual(['svc2']);
    expect(names('TransparentProxy.DialedDirectly == true')).toEqual(['svc3']);
    expect(names('"10.0.0.1" in Destination.Addresses')).toEqual(['svc2']);
    expect(names('"10.0.0.1" not in Destination.Addresses')).toEqual(['svc1', 'svc3']);
    expect(names('Destination.Addresses contains "a.example"')).toEqual(['svc2']);
    expect(names('Destination.Addresses not contains "a.example"')).toEqual(['svc1', 'svc3']);
    expect(names('Meta is empty')).toEqual(['svc2', 'svc3']);
    expect(names('Meta is not empty')).toEqual(['svc1']);
    expect(names('Meta.team == "a"')).toEqual(['svc1']);
    expect(names('Meta["team"] != "a"')).toEqual(['svc2', 'svc3']);
    expect(names('"team" in Meta')).toEqual(['svc1']);
    expect(names('Name matches "^svc[12]$"')).toEqual(['svc1', 'svc2']);
    expect(names('Name not matches "1"')).toEqual(['svc2', 'svc3']);
    expect(names('Protocol == http or Protocol == grpc and MutualTLSMode == "permissive"')).toEqual(['svc2', 'svc3']);
    expect(names('(Protocol == http or Protocol == grpc) and not MutualTLSMode == "strict"')).toEqual(['svc3']);
    expect(names('not (Name == svc1)')).toEqual(['svc2', 'svc3']);
  });

  it('rejects a single "=", dangling operators and bad selectors', () => {
    expect(() => parseBexpr('MutualTLSMode = "permissive"')).toThrow(BexprError);
    expect(() => parseBexpr('Name ==')).toThrow(BexprError);
    expect(() => parseBexpr('(Name == "a"')).toThrow(BexprError);
    expect(() => parseBexpr('Name == "a" and')).toThrow(BexprError);
    expect(() => names('Foo == "x"')).toThrow('Selector "Foo" is not valid');
    expect(() => names('CreateIndex == 1')).toThrow('is not valid');
  });

  it('allows only the operators go-bexpr generates for each field type', () => {
    expect(() => names('MutualTLSMode is empty')).toThrow('Invalid match operator "Is Empty" for selector "MutualTLSMode"');
    expect(() => names('Destination.Port matches "4"')).toThrow('Invalid match operator "Matches" for selector "Destination.Port"');
    expect(() => names('TransparentProxy == "x"')).toThrow('Invalid match operator "Equal" for selector "TransparentProxy"');
    expect(() => names('Destination.Port == abc')).toThrow('Failed to coerce value "abc" for selector "Destination.Port"');
    expect(names('Destination.Addresses is not empty')).toEqual(['svc2']);
    expect(names('TransparentProxy.DialedDirectly == t')).toEqual(['svc3']);
    expect(names('"vc" in Name')).toEqual(['svc1', 'svc2', 'svc3']);
  });
});
