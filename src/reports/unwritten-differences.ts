// Re-export: the pure function lives in core/plan (the terminal plan needs it, and core never imports reports).
export { unwrittenDifferences, unwrittenSummary } from '../core/plan/unwritten.ts';
