// API field paths (`Routes[0].Match.HTTP.PathPrefix`), made once and shared by every entry that
// names them: a tree of 10,000 entries spells the same few dozen paths over and over, and each
// entry keeps its paths for the life of a plan (its field positions are keyed by them).
//
// Bounded (PATH_LIMIT in all), because map keys (`Meta.owner`) come from files and a long-running
// `serve` reads many trees; past the bound a path is simply made afresh each time.

const PATH_LIMIT = 16_384;
/** List indexes remembered per parent path; lists longer than that make their later paths afresh. */
const ITEM_LIMIT = 256;

let remembered = 0;
const children = new Map<string, Map<string, string>>();
const items = new Map<string, string[]>();

/** `parent.name`, or `name` at the top level (parent ''). */
export function childPath(parent: string, name: string): string {
  let kids = children.get(parent);
  const known = kids?.get(name);
  if (known !== undefined) return known;
  const path = parent === '' ? name : `${parent}.${name}`;
  if (remembered < PATH_LIMIT) {
    if (!kids) children.set(parent, (kids = new Map<string, string>()));
    kids.set(name, path);
    remembered++;
  }
  return path;
}

/** `parent[index]`. */
export function itemPath(parent: string, index: number): string {
  let list = items.get(parent);
  const known = list?.[index];
  if (known !== undefined) return known;
  const path = `${parent}[${index}]`;
  if (index < ITEM_LIMIT && remembered < PATH_LIMIT) {
    if (!list) items.set(parent, (list = []));
    // Filled in order (a list's items are decoded first to last), so the array stays packed.
    if (index === list.length) {
      list.push(path);
      remembered++;
    }
  }
  return path;
}
