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
  // marks it Enterprise.
  'rate-limit': { where: 'Consul 2.0 Enterprise', source: 'hashicorp/consul#23274' },
  // api.InferenceGatewayConfigEntry (api/config_entry_inference_gateway.go): Enterprise. The CE type
  // surface (hashicorp/consul#23925, open in September 2026) refuses it with "inference-gateway is
  // a consul enterprise feature".
  'inference-gateway': { where: 'Consul Enterprise, release not verified', source: 'hashicorp/consul#23925' },
  // api.AIGatewayConfigEntry (api/config_entry_ai_gateway.go): hashicorp/consul#23700, open against
  // an integration branch; in no release seen.
  'ai-gateway': { where: 'an unreleased Consul branch', source: 'hashicorp/consul#23700' },
};
