// Class 3 of issue 11 on the paths without a CLI: `serve` (the webhook and the drift schedule, the
// same use cases as the Lambda functions) plans for the Consul version the server reports on
// GET /v1/agent/self when consul-gitops.yaml names none, as `plan` does. The rule that shows it:
// http-route service Weight 0 is "no traffic" from 1.22.6, and becomes 1 before
// (agent/structs/config_entry_routes.go HTTPRouteConfigEntry.Normalize; hashicorp/consul#23305).
import { afterEach, describe, expect, it, vi } from 'vitest';
import { liveRoute } from '../support/consul-version-examples.ts';
import { pullRequestOpened } from '../support/github-events.ts';
import { startServeHarness, type ServeHarness } from '../support/serve-harness.ts';

const route = (secondWeight: number) => `Kind = "http-route"
Name = "shop"
Parents = [{ Kind = "api-gateway", Name = "gw" }]
Rules = [{ Services = [{ Name = "v1", Weight = 50 }, { Name = "v2", Weight = ${secondWeight} }] }]
`;

let h: ServeHarness;
afterEach(() => h.close());

/** Consul `consulVersion` and GitHub, serve not yet started. */
async function setUp(consulVersion: string, liveSecondWeight: number) {
  h = await startServeHarness({ consul: { consulVersion }, startServe: false });
  // Written by consul-gitops from an earlier commit; the server stores it as its version normalises it.
  await liveRoute(h.consul, liveSecondWeight);
}

/** Opens a pull request that drains v2 (Weight 0) and returns its plan comment. */
async function planOfDrainingPullRequest(env: Record<string, string> = {}): Promise<string> {
  h.github.addCommit({ 'config-entries/shop.hcl': route(50) }, 'base', { branch: 'master' });
  const number = h.github.addPullRequest({ head: 'drain-v2', files: { 'config-entries/shop.hcl': route(0) } });
  await h.startServe({ env });
  expect(await h.deliver('pull_request', pullRequestOpened(h.github, number, 'drain-v2'))).toBe(202);
  expect(h.github.comments).toHaveLength(1);
  return h.github.comments[0].body;
}

const finished = () => h.logs.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.message === 'Reconcile finished');

describe('serve plans for the Consul version the server reports', () => {
  it('a pull request draining a backend on Consul 1.22.5 shows Weight 50 → 1, as that Consul will store it', async () => {
    await setUp('1.22.5', 50);
    const body = await planOfDrainingPullRequest();
    expect(body).toMatch(/- +Weight = 50\n\+ +Weight = 1\n/);
    expect(body).not.toMatch(/\+ +Weight = 0\n/);
  });

  it('the same pull request on Consul 1.22.6 shows Weight 50 → 0 (no traffic)', async () => {
    await setUp('1.22.6', 50);
    const body = await planOfDrainingPullRequest();
    expect(body).toMatch(/- +Weight = 50\n\+ +Weight = 0\n/);
  });

  it('the drift schedule on Consul 1.22.5 does not report a drained backend (stored as 1) as drift', async () => {
    // Consul 1.22.5 stored the file's Weight 0 as 1: Git and Consul agree as that Consul reads them.
    await setUp('1.22.5', 0);
    const live = (await (await fetch(`${h.consul.url}/v1/config/http-route/shop`)).json()) as { Rules: { Services: { Weight: number }[] }[] };
    expect(live.Rules[0].Services[1].Weight).toBe(1);
    h.github.addCommit({ 'config-entries/shop.hcl': route(0) }, 'drain v2', { branch: 'master' });
    await h.startServe({ scheduleIntervalMs: 50 });
    await vi.waitFor(() => expect(finished().length).toBeGreaterThan(0), { timeout: 10_000, interval: 20 });
    expect(finished()[0]).toMatchObject({ mode: 'drift', target: 'default' });
    expect(h.github.issues).toEqual([]);
  });

  it("a configured consulVersion wins over the server's, with a warning naming both on the pull request (TARGETS_CONFIG)", async () => {
    await setUp('2.1.0', 50);
    const body = await planOfDrainingPullRequest({ TARGETS_CONFIG: 'targets:\n  - name: default\n    dir: config-entries\n    consulVersion: "1.22.5"\n' });
    expect(body).toMatch(/- +Weight = 50\n\+ +Weight = 1\n/);
    expect(body).toContain('consul-gitops.yaml says consulVersion');
  });
});
