// What the scale bench's apply runs on the client side, built as the CLI is (bench/support/built-cli.ts
// extra entry): plain esbuild output, as a user's `consul-gitops apply` runs it. Through tsx the same
// code carries esbuild's keepNames (a `__name` call for every function and closure made), which the
// built CLI does not: the client's CPU per write measured under tsx is not the user's.
export { ConsulClient } from '../../src/adapters/consul/client.ts';
export { ConsulConfigEntryStore } from '../../src/adapters/consul/stores.ts';
export { applyPlan, DEFAULT_APPLY_CONCURRENCY } from '../../src/app/apply-plan.ts';
export { makePlan } from '../../src/app/make-plan.ts';
