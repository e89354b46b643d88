// What the plan and import benchmarks share: a synthetic mesh of N config entries (mesh,
// proxy-defaults, then service-defaults and service-intentions in turn), a store that counts the
// requests made through it, a timer, and seeding Consul with a tree through plan + apply.
import type { ConfigEntryStore } from '../../src/app/ports/config-entry-store.ts';
import type { SourceFile } from '../../src/core/parse-files.ts';
import { makePlan, type PlanOutcome } from '../../src/app/make-plan.ts';
import { applyPlan } from '../../src/app/apply-plan.ts';
import type { PlanOptions } from '../../src/core/plan/plan.ts';

export interface MeshTreeOptions {
  /** Every service-defaults' Protocol (default "http"). */
  protocol?: string;
  /** Adds `Meta { team = "tN" }` to each service-defaults. */
  teamMeta?: boolean;
  /** Ends each service-intentions with a `*` deny source. */
  denyOthers?: boolean;
}

/** `count` files: mesh.hcl, proxy-defaults.hcl, then sd/svc-N.hcl and si/svc-N.json alternately; one service in ten permissive. */
export function meshTree(count: number, o: MeshTreeOptions = {}): SourceFile[] {
  const protocol = o.protocol ?? 'http';
  const files: SourceFile[] = [
    { path: 'mesh.hcl', text: 'Kind = "mesh"\nAllowEnablingPermissiveMutualTLS = true\n' },
    { path: 'proxy-defaults.hcl', text: 'Kind = "proxy-defaults"\nName = "global"\nConfig { protocol = "http" }\n' },
  ];
  for (let i = 0; files.length < count; i++) {
    const name = `svc-${i}`;
    if (i % 2 === 0) {
      const meta = o.teamMeta ? `Meta { team = "t${i % 7}" }\n` : '';
      files.push({
        path: `sd/${name}.hcl`,
        text: `Kind = "service-defaults"\nName = "${name}"\nProtocol = "${protocol}"\nMutualTLSMode = "${i % 10 ? 'strict' : 'permissive'}"\n${meta}`,
      });
    } else {
      const sources = [{ Name: `svc-${i - 1}`, Action: 'allow' }, ...(o.denyOthers ? [{ Name: '*', Action: 'deny' }] : [])];
      files.push({ path: `si/${name}.json`, text: JSON.stringify({ Kind: 'service-intentions', Name: name, Sources: sources }) });
    }
  }
  return files;
}

/** `store` with every call counted (one call is one request to Consul). */
export function countingStore(store: ConfigEntryStore): { store: ConfigEntryStore; requests: () => number } {
  let n = 0;
  const wrap =
    <A extends unknown[], R>(fn: (...a: A) => Promise<R>) =>
    (...a: A) => (n++, fn(...a));
  return {
    store: {
      list: wrap(store.list.bind(store)),
      get: wrap(store.get.bind(store)),
      write: wrap(store.write.bind(store)),
      delete: wrap(store.delete.bind(store)),
    },
    requests: () => n,
  };
}

export async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const start = performance.now();
  const value = await fn();
  return { ms: performance.now() - start, value };
}

/** Plans `files` against `store` and applies the plan 64 writes at a time; throws when any write fails. */
export async function seed(store: ConfigEntryStore, files: readonly SourceFile[], options: PlanOptions): Promise<PlanOutcome> {
  const seeded = await makePlan(files, store, options);
  if (!(await applyPlan(store, seeded.plan!, { concurrency: 64 })).ok) throw new Error('seeding failed');
  return seeded;
}
