// The Consul ports (src/app/ports/config-entry-store.ts) on top of ConsulClient.
import type { ConfigEntryStore, LiveEntry, StateStore, TenancyHome, TenancyScope } from '../../app/ports/config-entry-store.ts';
import { createHash } from 'node:crypto';
import type { ApiEntry } from '../../model/kind-definition.ts';
import { listNamespaces } from '../../model/tenancy.ts';
import { kindDefinition } from '../../model/registry.ts';
import { EnterpriseKindRefusedError } from '../../model/edition-mismatch.ts';
import { mapBounded, NAMESPACE_READ_CONCURRENCY } from './bounded-reads.ts';
import type { ConsulClient } from './client.ts';
import { ConsulError, isConsulError } from './errors.ts';

function liveEntry(entry: ApiEntry): LiveEntry {
  const index = entry.ModifyIndex;
  return { entry, modifyIndex: typeof index === 'number' ? index : 0 };
}

/**
 * An ambiguous conflict (a CAS write answered `false` after a retry whose first attempt may have
 * been applied) is reported as `false`: the port's answer for "re-read and re-plan", which is the
 * right reaction either way (if our first attempt won, the next plan is a noop).
 */
async function casResult(write: Promise<boolean>): Promise<boolean> {
  try {
    return await write;
  } catch (e) {
    if (isConsulError(e) && e.kind === 'conflict' && e.ambiguous) return false;
    throw e;
  }
}

export class ConsulConfigEntryStore implements ConfigEntryStore {
  readonly #consul: ConsulClient;
  /** Each list answer this store received, `kind ns` and the text, when asked to keep them (listedDigest). */
  readonly #answers: [string, string][] | undefined;

  /** `keepAnswers`: keep every list answer for listedDigest (a plan's store, which lists each kind once). */
  constructor(consul: ConsulClient, options: { keepAnswers?: boolean } = {}) {
    this.#consul = consul;
    this.#answers = options.keepAnswers ? [] : undefined;
  }

  /** The client's namespace/partition and managed namespaces, when it names any (Enterprise). */
  get home(): TenancyHome | undefined {
    const { namespace, partition, managedNamespaces } = this.#consul.options;
    if (!namespace && !partition && !managedNamespaces) return undefined;
    return { ...(namespace ? { namespace } : {}), ...(partition ? { partition } : {}), ...(managedNamespaces ? { managed: managedNamespaces } : {}) };
  }

  /** `POST /v1/internal/acl/authorize` for `mesh:write` under the client's token (the plan's warning that a write will be refused). */
  async mayWriteMesh(): Promise<boolean | undefined> {
    try {
      return (await this.#consul.authorize([{ resource: 'mesh', access: 'write' }]))?.[0];
    } catch (e) {
      // The plan's "cannot tell" warning quotes this message: it names the call that failed, so the
      // user knows what to check (a proxy in between, the endpoint blocked), never the token.
      if (!isConsulError(e)) throw e;
      const answer =
        e.status === undefined
          ? `got no answer: ${e.transportCode ? `${e.transportCode} ` : ''}${e.message}`
          : `answered ${e.status} ${JSON.stringify(e.message)}`;
      throw new ConsulError({
        kind: e.kind,
        message: `the ACL authorize call ${e.method} ${e.path.split('?')[0]} ${answer}`,
        method: e.method,
        path: e.path,
        ...(e.status === undefined ? {} : { status: e.status }),
      });
    }
  }

  /**
   * Every entry of `kind` in every namespace the target manages (client option `managedNamespaces`):
   * `?ns=*` for all, one request per named namespace (a few in flight at once: make-plan lists
   * every kind together, so 30 named namespaces were hundreds of requests open at one Consul),
   * the client's own when none is named. A list ACLs filtered throws `incomplete-read`
   * (complete-read.ts), so a namespace the token cannot see never reads as "its entries are gone";
   * when several fail, the first namespace in order is the one reported.
   */
  async list(kind: string, signal?: AbortSignal): Promise<LiveEntry[]> {
    return (await this.listLater(kind, signal))();
  }

  /**
   * `list` in two steps: every answer now, the entries parsed when the returned function is called
   * (make-plan.ts startLiveRead: a plan printed from its memo never parses Consul's lists).
   */
  async listLater(kind: string, signal?: AbortSignal): Promise<() => LiveEntry[]> {
    const namespaces = listNamespaces(kind, this.#consul.options.managedNamespaces);
    const answers = await mapBounded(namespaces, NAMESPACE_READ_CONCURRENCY, (namespace) =>
      this.#answer(kind, namespace, signal && namespaces.length > 1 ? AbortSignal.any([signal]) : signal),
    );
    return () => answers.flatMap((a) => a.parse().entries).map(liveEntry);
  }

  async #answer(kind: string, namespace: string | undefined, signal: AbortSignal | undefined): Promise<{ parse(): { entries: ApiEntry[] } }> {
    try {
      const answer = await this.#consul.listAnswer(kind, { ...(namespace ? { namespace } : {}), ...(signal ? { signal } : {}) });
      this.#answers?.push([`${kind} ${namespace ?? ''}`, answer.text]);
      return answer;
    } catch (e) {
      // agent/http_ce.go: CE refuses `ns` with 400 `Invalid query parameter: "ns" - Namespaces are a Consul Enterprise feature`.
      if (namespace && isConsulError(e) && e.kind === 'bad-request' && /Namespaces are a Consul Enterprise feature/i.test(e.message))
        throw new ConsulError({
          kind: 'bad-request',
          message:
            `consul-gitops.yaml names namespaces for this target (namespaces: ${JSON.stringify(this.#consul.options.managedNamespaces)}), ` +
            'but this Consul is Community Edition, which has no namespaces and refuses the `ns` parameter: remove `namespaces` from the target',
          method: e.method,
          path: e.path,
          ...(e.status === undefined ? {} : { status: e.status }),
        });
      // A `+ent` target whose server is CE: CE's MakeConfigEntry (agent/structs/config_entry.go) has no
      // case for control-plane-request-limit, so its list answers 500 `invalid config entry kind`.
      if (isConsulError(e) && e.status === 500 && kindDefinition(kind)?.enterpriseOnly && /^invalid config entry kind\b/.test(e.message))
        throw new EnterpriseKindRefusedError(kind, `${e.method} ${e.path.split('?')[0]}: ${e.status} ${JSON.stringify(e.message)}`);
      throw e;
    }
  }

  /**
   * A digest of every list answer this store has received, by kind and namespace and as received:
   * the entries `list` gives are a function of them (and of the build that parses them). The plan
   * cache (src/cli/plan-cache.ts) keys a plan by it; undefined when the answers were not kept or a
   * kind was listed twice.
   */
  listedDigest(): string | undefined {
    if (!this.#answers) return undefined;
    const sorted = [...this.#answers].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    const h = createHash('sha256');
    for (let i = 0; i < sorted.length; i++) {
      if (i > 0 && sorted[i][0] === sorted[i - 1][0]) return undefined;
      h.update(`${sorted[i][0].length}:${sorted[i][0]}\0${sorted[i][1].length}:`).update(sorted[i][1]);
    }
    return h.digest('base64');
  }

  async get(kind: string, name: string, scope?: TenancyScope): Promise<LiveEntry | undefined> {
    const { entry } = await this.#consul.getEntry(kind, name, scope);
    return entry ? liveEntry(entry) : undefined;
  }

  write(entry: ApiEntry, cas: number): Promise<boolean> {
    return casResult(this.#consul.putEntry(entry, { cas }));
  }

  delete(kind: string, name: string, cas: number, scope?: TenancyScope): Promise<boolean> {
    return casResult(this.#consul.deleteEntry(kind, name, { cas, ...scope }));
  }
}

export class ConsulKvStateStore implements StateStore {
  readonly #consul: ConsulClient;

  constructor(consul: ConsulClient) {
    this.#consul = consul;
  }

  async read(key: string): Promise<{ value: string; modifyIndex: number } | undefined> {
    const pair = await this.#consul.kvGet(key);
    return pair ? { value: pair.value, modifyIndex: pair.modifyIndex } : undefined;
  }

  write(key: string, value: string, cas: number): Promise<boolean> {
    return casResult(this.#consul.kvPut(key, value, { cas }));
  }
}
