// The command line as a shell user meets it: `CMD --help` on every command, and a reader that
// closes the pipe early (`render | head -1`), through the real bin script.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { runCli, tempTree } from '../support/run-cli.ts';

const BIN = fileURLToPath(new URL('../../bin/consul-gitops.js', import.meta.url));
const COMMANDS = ['render', 'validate', 'plan', 'apply', 'audit', 'dev-server', 'serve', 'demo'];

/** A module bundled with code splitting, as the built CLI is: its chunks and what each reaches (esbuild's metafile). */
function bundledGraph(path: string) {
  return build({
    entryPoints: [fileURLToPath(new URL(`../../${path}`, import.meta.url))],
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    packages: 'external',
    write: false,
    metafile: true,
    outdir: 'out',
    logLevel: 'silent',
  });
}

describe('CMD --help', () => {
  it.each(COMMANDS)('%s --help and -h print that command’s usage and exit 0, touching nothing', async (command) => {
    const dir = tempTree({});
    for (const flag of ['--help', '-h']) {
      // Other flags next to --help (even bad ones) do not matter: help wins, nothing runs.
      const run = await runCli([command, '--consul', 'http://127.0.0.1:1', flag], dir);
      expect(run).toMatchObject({ code: 0, stderr: '' });
      expect(run.stdout).toMatch(/^Usage:/);
      expect(run.stdout).toContain(`consul-gitops ${command} [`.replace('demo [', 'demo'));
      // Only this command: not the whole command list.
      expect(run.stdout.match(/consul-gitops \w[\w-]* /g)?.every((m) => m === `consul-gitops ${command} `) ?? true).toBe(true);
    }
  });

  it('serve --help loads none of the server: its usage module imports the server only once flags are read', async () => {
    // What `main` imports to print `serve --help` (DETAILED_USAGE), and what that import reaches
    // statically; the server's graph (the AWS and GitHub clients) made the help wait on a loaded machine.
    const result = await bundledGraph('src/cli/serve-command.ts');
    const entry = Object.values(result.metafile.outputs).find((o) => o.entryPoint?.endsWith('src/cli/serve-command.ts'));
    const reached = Object.keys(entry!.inputs);
    expect(reached.some((m) => m.endsWith('src/cli/serve-command.ts'))).toBe(true);
    expect(reached.filter((m) => m.includes('src/serve/') || m.includes('src/runtime/') || m.includes('src/adapters/'))).toEqual([]);
    expect(entry!.imports.filter((i) => !i.external).every((i) => i.kind === 'dynamic-import')).toBe(true);
  });

  it('dev-server --help loads none of the dev server: its usage module imports the server only once flags are read', async () => {
    // What `main` imports to print `dev-server --help`, and what that import reaches statically: the
    // whole dev server (routes, ACL engine, the yaml library) made the help wait on a loaded machine.
    const result = await bundledGraph('src/dev-server/command.ts');
    // The entry chunk and the chunks it imports statically (code shared with the server's chunk).
    const outputs = result.metafile.outputs;
    const entryName = Object.keys(outputs).find((o) => outputs[o].entryPoint?.endsWith('src/dev-server/command.ts'))!;
    const loaded = new Set([entryName]);
    for (const name of loaded) for (const i of outputs[name].imports) if (!i.external && i.kind === 'import-statement') loaded.add(i.path);
    const reached = [...loaded].flatMap((name) => Object.keys(outputs[name].inputs));
    const packages = [...loaded].flatMap((name) => outputs[name].imports.filter((i) => i.external).map((i) => i.path));
    expect(reached.filter((m) => m.includes('src/dev-server/'))).toEqual(['src/dev-server/command.ts']);
    expect(packages).not.toContain('yaml');
  });

  it('`help CMD` is the same as `CMD --help`; after `--`, --help is not a flag', async () => {
    const dir = tempTree({});
    expect((await runCli(['help', 'plan'], dir)).stdout).toBe((await runCli(['plan', '--help'], dir)).stdout);
    const run = await runCli(['render', '--', '--help'], dir);
    expect(run.stdout).not.toMatch(/^Usage:/);
  });

  it('an unknown flag is an error that points at the command’s help', async () => {
    const run = await runCli(['plan', '--nope'], tempTree({}));
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("'--nope'");
    expect(run.stderr).toContain('consul-gitops plan --help');
  });
});

describe('a reader that closes the pipe early', () => {
  // A real child process that compiles the CLI's TypeScript through tsx before its first line: 10 to
  // 20 s on two cores shared with other test runs, so the suite's 20 s default is no fit. Nothing
  // here waits on the clock; the limit only bounds a hang.
  it('`render | head -1`: the first line arrives, then a quiet exit 0 with no stack trace', { timeout: 120_000 }, async () => {
    // Enough output (> the 64 KiB pipe buffer) that writes are still pending when the reader leaves.
    const files: Record<string, string> = {};
    for (let i = 0; i < 600; i++) files[`config-entries/s${i}.hcl`] = `Kind = "service-defaults"\nName = "svc${i}"\nProtocol = "http"\n`;
    const dir = tempTree(files);
    const child = spawn(process.execPath, [BIN, 'render'], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const firstLine = await new Promise<string>((resolve) => {
      child.stdout.once('data', (c: Buffer) => {
        // What `head -1` does: read one line, close the pipe.
        child.stdout.destroy();
        resolve(c.toString().split('\n')[0]);
      });
    });
    const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
    expect(firstLine).toMatch(/^# service-defaults\/svc\d+/);
    expect(stderr).toBe('');
    expect(code).toBe(0);
  });
});
