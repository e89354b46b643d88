// The state store's cross-entry validation (validateProposedConfigEntryInGraph), run inside the
// write on every upsert and delete. The check itself is the core's (src/core/plan/write-graph-check.ts),
// so the planner simulates each write of a plan with the very same code.
export { arrayView, graphError, type GraphView } from '../core/plan/write-graph-check.ts';
