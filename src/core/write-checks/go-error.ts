// Consul's Validate() errors as a value: plain errors, go-multierror lists and fmt.Errorf wrapping,
// so one check yields both Consul's exact response text (the dev server) and one readable problem
// per cause (validate), without two copies of the rule.
import type { EntryProblem } from '../../model/kind-definition.ts';

export type GoError =
  /**
   * `ceOnly`: Consul CE's refusal of an Enterprise feature; a `+ent` target accepts it. `display`: the
   * one-line wording `validate` prints when Consul's text runs over several lines.
   */
  | { leaf: string; field: string; ceOnly?: true; display?: string }
  | { multi: GoError[] }
  /** errors.Join: each error's text on its own line, no heading. */
  | { join: GoError[] }
  /** fmt.Errorf("<prefix>%v", inner): the inner error's full text after a prefix. */
  | { prefix: string; inner: GoError };

export const leaf = (field: string, message: string): GoError => ({ leaf: message, field });
/** CE's refusal of an Enterprise feature (`… requires Consul Enterprise`): skipped for a `+ent` target. */
export const ceOnlyLeaf = (field: string, message: string): GoError => ({ leaf: message, field, ceOnly: true });
export const wrap = (prefix: string, inner: GoError): GoError => ({ prefix, inner });

/** multierror.Append: nil stays nil, appended lists are flattened into one. */
export function append(into: GoError | undefined, ...errs: (GoError | undefined)[]): GoError | undefined {
  // Nothing to append to and nothing appended (a valid entry: nearly every call of a plan): no list built.
  let any = into !== undefined;
  for (let i = 0; !any && i < errs.length; i++) any = errs[i] !== undefined;
  if (!any) return undefined;
  const list: GoError[] = into === undefined ? [] : 'multi' in into ? [...into.multi] : [into];
  // A joined error is one error to go-multierror: it is kept whole, as fmt.Errorf keeps it.
  for (const e of errs) if (e !== undefined) list.push(...('multi' in e ? e.multi : [e]));
  return list.length === 0 ? undefined : { multi: list };
}

/** Error(): multierror's ListFormatFunc for lists, the message otherwise. */
export function goErrorText(e: GoError): string {
  if ('leaf' in e) return e.leaf;
  if ('prefix' in e) return e.prefix + goErrorText(e.inner);
  if ('join' in e) return e.join.map(goErrorText).join('\n');
  const points = e.multi.map((x) => `* ${goErrorText(x)}`);
  const head = e.multi.length === 1 ? '1 error occurred:' : `${e.multi.length} errors occurred:`;
  return `${head}\n\t${points.join('\n\t')}\n\n`;
}

/** One problem per cause, each with its wrapping prefixes, for `validate` to print on its own line. */
export function goErrorProblems(e: GoError | undefined, prefix = ''): EntryProblem[] {
  if (e === undefined) return [];
  if ('leaf' in e) return [{ field: e.field, message: prefix + (e.display ?? e.leaf), ...(e.ceOnly ? { ceOnly: true as const } : {}) }];
  // A prefix that ends a line in Consul's text ("...error(s):\n\n") reads on one line here.
  if ('prefix' in e) return goErrorProblems(e.inner, prefix + e.prefix.replace(/\n+/g, ' '));
  return ('join' in e ? e.join : e.multi).flatMap((x) => goErrorProblems(x, prefix));
}
