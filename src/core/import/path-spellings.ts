// Import's paths spelled as the tree under --dir already spells them. Consul's index lower-cases
// names, namespaces and partitions, and so does a checkout on macOS or Windows: a folder or file
// differing only by case is the same place. A tree imported before namespace folders were
// lower-cased holds `namespace-Team/`; writing `namespace-team/` beside it would split one namespace
// over two folders on Linux and give one entry two files (plan refuses a duplicate entry). So the
// spelling already on disk wins, and the file there is updated in place under import's usual rules.

/** The spellings of every folder and file on the way to each path of the tree. */
export class PathSpellings {
  private readonly exact = new Set<string>();
  private readonly byLower = new Map<string, string[]>();

  constructor(paths: Iterable<string>) {
    for (const path of paths) {
      const segments = path.split('/');
      for (let i = 1; i <= segments.length; i++) {
        const prefix = segments.slice(0, i).join('/');
        if (this.exact.has(prefix)) continue;
        this.exact.add(prefix);
        const lower = prefix.toLowerCase();
        const list = this.byLower.get(lower);
        if (list) list.push(prefix);
        else this.byLower.set(lower, [prefix]);
      }
    }
    for (const list of this.byLower.values()) list.sort();
  }

  /**
   * `path` with each folder and the file spelled as the tree spells them when it has them in
   * another case only. A spelling the tree has exactly is kept; of several other spellings (a tree
   * already split), the first in code-point order, so the outcome does not depend on listing order.
   */
  respell(path: string): string {
    const out: string[] = [];
    for (const segment of path.split('/')) {
      const candidate = [...out, segment].join('/');
      if (this.exact.has(candidate)) {
        out.push(segment);
        continue;
      }
      const parent = out.join('/');
      const found = this.byLower.get(candidate.toLowerCase())?.find((p) => parentOf(p) === parent);
      out.push(found ? found.slice(found.lastIndexOf('/') + 1) : segment);
    }
    return out.join('/');
  }
}

function parentOf(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash < 0 ? '' : path.slice(0, slash);
}
