// Appending a long list to another without spreading it as call arguments: `out.push(...items)`
// overflows the stack (RangeError) once `items` holds more than about 100k elements, and a plan's
// lines grow with the user's lists.

/** Appends every item to `out` in order, in place; returns `out`. */
export function appendAll<T>(out: T[], items: Iterable<T>): T[] {
  for (const item of items) out.push(item);
  return out;
}

/** The largest of `values`, or `floor` when there is none larger: a loop, for the same reason. */
export function largestOf(floor: number, values: Iterable<number>): number {
  let most = floor;
  for (const v of values) if (v > most) most = v;
  return most;
}
