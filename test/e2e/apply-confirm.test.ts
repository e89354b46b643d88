// At a terminal, apply shows the plan and asks; only `yes` applies. --auto-approve and
// non-interactive runs (CI, pipes) apply without asking, as before. Run through main() with a
// pseudo-terminal seam: isTTY on stdout and an input stream the test answers on.
import { describe, expect, it } from 'vitest';
import { PassThrough } from 'node:stream';
import { main } from '../../src/cli/main.ts';
import { tempTree } from '../support/run-cli.ts';
import { devServerPerTest } from '../support/dev-server-per-test.ts';

const server = devServerPerTest();

const tree = () =>
  tempTree({
    'config-entries/api.hcl': 'Kind = "service-defaults"\nName = "api"\nProtocol = "http"\n',
    'config-entries/web.hcl': 'Kind = "service-defaults"\nName = "web"\nProtocol = "http"\n',
  });

const QUESTION = "Do you want to apply these 2 changes? Only 'yes' will be accepted: ";

/** apply through main(); `answer` is typed once the question shows (undefined: input closes instead). */
async function applyAt(tty: boolean, args: string[], answer: string | undefined, cwd = tree()) {
  const stdin = Object.assign(new PassThrough(), { isTTY: tty });
  let stdout = '';
  let stderr = '';
  const io = {
    stdout: {
      isTTY: tty,
      write: (s: string) => {
        stdout += s;
        if (s.includes("Only 'yes' will be accepted")) setImmediate(() => (answer === undefined ? stdin.end() : stdin.write(`${answer}\n`)));
        return true;
      },
    },
    stderr: { write: (s: string) => (stderr += s) },
    stdin,
    cwd,
  };
  const code = await main(['apply', '--consul', server.url, ...args], io);
  return { code, stdout, stderr };
}

async function names(): Promise<string[]> {
  const res = await fetch(`${server.url}/v1/config/service-defaults`);
  return ((await res.json()) as { Name: string }[]).map((e) => e.Name).sort();
}

describe('apply at a terminal', () => {
  it('asks after showing the plan, and applies on yes', async () => {
    const r = await applyAt(true, [], 'yes');
    expect(r.stdout).toContain(QUESTION);
    expect(r.stdout.indexOf(QUESTION)).toBeGreaterThan(r.stdout.indexOf('service-defaults/web'));
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Apply: 2 applied');
    expect(await names()).toEqual(['api', 'web']);
  });

  it.each(['y', 'YES', 'no', ''])('cancels on %j, changing nothing', async (answer) => {
    const r = await applyAt(true, [], answer);
    expect(r.stdout).toContain(QUESTION);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('Apply cancelled: the answer was not yes. Nothing was applied.');
    expect(await names()).toEqual([]);
  });

  it('cancels when the input ends without an answer', async () => {
    const r = await applyAt(true, [], undefined);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('Apply cancelled: no answer (input closed); use --auto-approve to apply without asking.');
    expect(await names()).toEqual([]);
  });

  it('does not ask with --auto-approve', async () => {
    const r = await applyAt(true, ['--auto-approve'], 'no');
    expect(r.stdout).not.toContain('Do you want');
    expect(r.code).toBe(0);
    expect(await names()).toEqual(['api', 'web']);
  });

  it('does not ask when there is nothing to apply', async () => {
    const dir = tree();
    expect((await applyAt(true, ['--auto-approve'], undefined, dir)).code).toBe(0);
    const again = await applyAt(true, [], 'no', dir);
    expect(again.stdout).not.toContain('Do you want');
    expect(again.code).toBe(0);
  });
});

describe('apply without a terminal', () => {
  it('applies without asking, as before', async () => {
    const r = await applyAt(false, [], 'no');
    expect(r.stdout).not.toContain('Do you want');
    expect(r.code).toBe(0);
    expect(await names()).toEqual(['api', 'web']);
  });
});

describe('apply --json at a terminal', () => {
  it('is refused without --auto-approve: the question would break the JSON', async () => {
    const r = await applyAt(true, ['--json'], 'yes');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('--json at a terminal needs --auto-approve');
    expect(await names()).toEqual([]);
    const approved = await applyAt(true, ['--json', '--auto-approve'], undefined);
    expect(approved.code).toBe(0);
    expect(JSON.parse(approved.stdout).results).toHaveLength(2);
  });
});
