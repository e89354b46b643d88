// PromQL text for the Prometheus source: a configured selector narrowed to a batch of services and
// turned into a range selector, with every user-supplied value escaped twice (regex, then string).
import type { ServiceRef } from '../../core/advisor/model.ts';
import { ConsulGitopsError } from '../../errors.ts';

export interface ServiceLabels {
  service: string;
  namespace: string;
  partition: string;
}

/** RE2 metacharacters, escaped so a service name matches only itself inside `=~"…"`. */
export function escapeRegex(s: string): string {
  return s.replace(/[\\.+*?()|[\]{}^$]/g, '\\$&');
}

/** A PromQL double-quoted string literal (Go string escapes). */
export function quote(s: string): string {
  return `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;
}

/**
 * The label matchers for a batch of services that share namespace and partition. `default` also
 * matches an absent label: CE sidecars of older Consul versions carry no consul_source_partition,
 * and a missing label equals "" in PromQL.
 */
export function batchMatchers(batch: readonly ServiceRef[], labels: ServiceLabels): string[] {
  const names = [...new Set(batch.map((s) => s.name))];
  const alternatives = (v: string): string => (v === 'default' || v === '' ? quote('(default)?') : quote(escapeRegex(v)));
  const first = batch[0];
  return [
    `${labels.service}=~${quote(names.map(escapeRegex).join('|'))}`,
    `${labels.namespace}=~${alternatives(first?.namespace ?? 'default')}`,
    `${labels.partition}=~${alternatives(first?.partition ?? 'default')}`,
  ];
}

/** `name{configured,batch}[<seconds>s]`: an instant query of this returns every raw sample. */
export function rangeSelector(selector: string, matchers: readonly string[], windowMs: number): string {
  const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?$/s.exec(selector.trim());
  if (!m) throw new ConsulGitopsError('config', `not a PromQL selector: ${selector}`);
  const own = (m[2] ?? '').trim().replace(/,\s*$/, '');
  const all = own === '' ? matchers : [own, ...matchers];
  return `${m[1]}{${all.join(',')}}[${Math.max(1, Math.ceil(windowMs / 1000))}s]`;
}
