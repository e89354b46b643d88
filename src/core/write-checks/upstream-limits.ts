// The write checks' view of PassiveHealthCheck.Validate and UpstreamLimits.Validate
// (src/model/kinds/upstream-limits-rules.ts): the same first problem, as a Go error value.
import { passiveHealthCheckProblem, upstreamLimitsProblem, type PassiveHealthCheck, type UpstreamLimits } from '../../model/kinds/upstream-limits-rules.ts';
import { leaf, type GoError } from './go-error.ts';

export type { PassiveHealthCheck, UpstreamLimits };

export function passiveHealthCheckError(c: PassiveHealthCheck, at: string): GoError | undefined {
  const p = passiveHealthCheckProblem(c, at);
  return p && leaf(p.field, p.message);
}

export function upstreamLimitsError(l: UpstreamLimits, at: string): GoError | undefined {
  const p = upstreamLimitsProblem(l, at);
  return p && leaf(p.field, p.message);
}
