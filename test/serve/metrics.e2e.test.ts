// `serve`'s GET /metrics: after real webhook deliveries reconcile through the in-process queue, the
// runs' figures in Prometheus text that promtool accepts, per target, the same figures the Lambda
// publishes to CloudWatch.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startServeHarness, type ServeHarness } from '../support/serve-harness.ts';

const tree = {
  'config-entries/mesh.hcl': 'Kind = "mesh"\nAllowEnablingPermissiveMutualTLS = true\n',
  'config-entries/api.hcl': 'Kind = "service-defaults"\nName = "api"\nProtocol = "http"\nMutualTLSMode = "permissive"\n',
  'config-entries/web.hcl': 'Kind = "service-defaults"\nName = "web"\nProtocol = "http"\n',
};

let h: ServeHarness;
beforeEach(async () => {
  h = await startServeHarness();
});
afterEach(() => h.close());

async function push(files: Record<string, string>): Promise<void> {
  expect(await h.push(files)).toBe(202);
}

// An independent reader of the format (the npm parser has no type declarations).
const parsePrometheusTextFormat = createRequire(import.meta.url)('parse-prometheus-text-format') as (text: string) => unknown[];

interface Family {
  name: string;
  type: string;
  metrics: { labels?: Record<string, string>; value?: string; count?: string; sum?: string }[];
}

async function scrape(): Promise<{ text: string; families: Map<string, Family>; contentType: string | null }> {
  const res = await fetch(`${h.serve.url}/metrics`);
  expect(res.status).toBe(200);
  const text = await res.text();
  const families = new Map((parsePrometheusTextFormat(text) as Family[]).map((f) => [f.name, f]));
  return { text, families, contentType: res.headers.get('content-type') };
}

describe('GET /metrics', () => {
  it('is empty but valid before any run, then counts each run by target, mode and outcome', async () => {
    expect((await scrape()).text).toBe('');

    await push(tree);
    await push({ ...tree, 'config-entries/web.hcl': 'Kind = "service-defaults"\nName = "web"\nMutualTLSMode = "sometimes"\n' });

    const { text, families, contentType } = await scrape();
    expect(contentType).toBe('text/plain; version=0.0.4; charset=utf-8');
    const check = spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });
    expect(check.stderr + check.stdout).not.toMatch(/error/i);
    expect(check.status).toBe(0);

    const runs = families.get('consul_gitops_reconcile_runs_total')!;
    expect(runs.type).toBe('COUNTER');
    expect(runs.metrics).toEqual(
      expect.arrayContaining([
        { labels: { target: 'default', mode: 'apply', outcome: 'applied' }, value: '1' },
        { labels: { target: 'default', mode: 'apply', outcome: 'invalid' }, value: '1' },
      ]),
    );
    // The first push wrote three entries; the invalid one wrote nothing and needs a person.
    expect(families.get('consul_gitops_entries_applied_total')!.metrics).toEqual([{ labels: { target: 'default' }, value: '3' }]);
    expect(families.get('consul_gitops_entry_failures_total')!.metrics).toEqual([{ labels: { target: 'default' }, value: '0' }]);
    expect(families.get('consul_gitops_reconcile_runs_not_ok_total')!.metrics).toEqual([{ labels: { target: 'default' }, value: '1' }]);
    const duration = families.get('consul_gitops_reconcile_duration_seconds')!;
    expect(duration.type).toBe('SUMMARY');
    expect(duration.metrics[0]).toMatchObject({ labels: { target: 'default', mode: 'apply' }, count: '2' });
    expect(Number(duration.metrics[0].sum)).toBeGreaterThan(0);
  });

  it('answers only GET and HEAD', async () => {
    const res = await fetch(`${h.serve.url}/metrics`, { method: 'POST' });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('GET, HEAD');
  });
});
