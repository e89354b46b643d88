// Config entry kinds that Consul in the supported range has (or may have) and consul-gitops does not
// model. A file of such a kind is refused with an error that says so, rather than Consul CE's
// `invalid config entry kind`, which would be wrong for the server that has it. A live entry of such
// a kind is never listed, planned or deleted: plan and apply only read the kinds in the registry.
// Sources are in docs/consul-versions.md.

export interface UnmodelledKind {
  /** Where it exists: the release and edition. */
  where: string;
  /** The pull request or document that shows it. */
  source: string;
}

export const UNMODELLED_KINDS: Readonly<Record<string, UnmodelledKind>> = {
  // api.GlobalRateLimitConfigEntry (api/config_entry_global_rate_limit.go), Name "global";
  // hashicorp/consul#23274 (merged 2026-02); the 2.0 docs page reference/config-entry/rate-limit
  // marks it Enterprise. agent/structs/config_entry_global_rate_limit.go (stored commit 59dc4a6) names
  // its kind by the constant RateLimit (value not shown; its comments and errors say
  // "global-rate-limit"), with operator:read/write ACLs and Name "global".
  'rate-limit': { where: 'Consul 2.0 Enterprise', source: 'hashicorp/consul#23274' },
  // api.InferenceGatewayConfigEntry (api/config_entry_inference_gateway.go): Enterprise. CE knows the
  // kind (MakeConfigEntry) and its Validate refuses every write with "inference-gateway is a consul
  // enterprise feature": agent/structs/config_entry_inference_gateway_ce_test.go
  // TestInferenceGatewayConfigEntry_CE_Validate (2026 sources, hashicorp/consul#23925). Not modelled
  // as `ce-refuses` because its fields (Processor, Failover, PII, Observability) are not.
  'inference-gateway': { where: 'Consul Enterprise (CE refuses it), release not verified', source: 'hashicorp/consul#23925' },
  // api.AIGatewayConfigEntry (api/config_entry_ai_gateway.go, agent/structs/config_entry_ai_gateway.go):
  // hashicorp/consul#23700, open against an integration branch; in no release or changelog seen.
  'ai-gateway': { where: 'an unreleased Consul branch', source: 'hashicorp/consul#23700' },
};
