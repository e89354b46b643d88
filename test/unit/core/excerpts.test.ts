// Error messages quote at most the offending token of a file, cut at 40 characters, and names with
// control characters print escaped: a committed copy of a token file cannot be printed by validate,
// and an entry name cannot rewrite a CI log.
import { describe, expect, it } from 'vitest';
import { runCli, tempTree } from '../../support/run-cli.ts';

const SECRET = `ghp_${'Zq8xW3vR7tK2mN9pL4sB6yH1cF5jD0gA'.repeat(3)}`; // 100 characters, no spaces

/** The longest run of SECRET's characters that appears in `out`. */
function longestLeak(out: string): number {
  let best = 0;
  for (let i = 0; i < SECRET.length; i++)
    for (let j = i + best + 1; j <= SECRET.length; j++) {
      if (!out.includes(SECRET.slice(i, j))) break;
      best = j - i;
    }
  return best;
}

describe('error excerpts', () => {
  it('quote no more than 40 characters of a copied token file, in every format', async () => {
    const dir = tempTree({
      'leak.hcl': `${SECRET}\n`,
      'leak2.hcl': `Kind = "service-defaults"\nName = "web"\nProtocol = ${SECRET}\n`,
      'leak3.hcl': `Kind = "service-defaults"\n${SECRET} = 1\n`,
      'leak.json': `{"Kind": "service-defaults", "Name": "web", "Protocol": 1, "${SECRET}": 2}`,
      'leak2.json': `{"${SECRET}" 1}`,
      'leak.yaml': `Kind: service-router\nName: web\nRoutes:\n  - Destination:\n      NumRetries: ${SECRET}\n`,
      'leak2.yaml': `Kind: service-resolver\nName: web\nConnectTimeout: "${SECRET}"\n`,
    });
    const run = await runCli(['validate', '.'], dir);
    expect(run.code).toBe(1);
    expect(run.stderr.match(/^\S+:\d+:\d+:/gm)?.length).toBeGreaterThanOrEqual(7);
    expect(run.stderr).not.toContain(SECRET);
    expect(longestLeak(run.stderr)).toBeLessThanOrEqual(40);
    expect(run.stderr).toContain(`"${SECRET.slice(0, 40)}…"`);
  });
});

describe('control characters', () => {
  it('print escaped in render headers and validate errors', async () => {
    const dir = tempTree({
      'evil.json': '{"Kind": "service-defaults", "Name": "web\\u001b[2K\\nok: all good", "Protocol": "http"}',
      'bad.json': '{"Kind": "service-defaults", "Name": "x", "Protocol": {"\\u001b[31mred": 1}}',
    });
    const render = await runCli(['render', 'evil.json'], dir);
    expect(render.stdout).toContain('# service-defaults/web\\u001b[2K\\u000aok: all good');
    expect(render.stdout).not.toContain('\u001b');
    const validate = await runCli(['validate', 'bad.json', 'evil.json'], dir);
    expect(validate.stderr).not.toContain('\u001b');
    expect(validate.stderr).not.toMatch(/\nok: all good/);
  });
});
