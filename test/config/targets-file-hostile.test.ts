// consul-gitops.yaml written carelessly or by a hostile pull request: a target `dir` leading out of the
// repository is refused before anything is read; an unknown key and a wrong type are named (never the
// value, which may be a token pasted in the wrong place); a YAML error names file, line and column.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tempTree } from '../support/run-cli.ts';

const ENTRY = 'Kind = "service-defaults"\nName = "web"\nProtocol = "http"\n';
const OUTSIDE_SECRET = 'outside-4b1f9c-recognisable';

/** A folder outside every repository, holding an entry file whose Meta is recognisable. */
function outsideFolder(): string {
  const dir = mkdtempSync(join(tmpdir(), 'consul-gitops-outside-'));
  writeFileSync(join(dir, 'stolen.json'), JSON.stringify({ Kind: 'service-defaults', Name: 'stolen', Meta: { token: OUTSIDE_SECRET } }));
  return dir;
}

const config = (dir: string) => `targets:\n  - name: prod\n    dir: ${JSON.stringify(dir)}\n`;

describe('consul-gitops.yaml', () => {
  it.each([
    ['an absolute path', (_repo: string, outside: string) => outside],
    ['a relative path leading out', (repo: string, outside: string) => relative(repo, outside)],
    ['a path leading out through a folder', (repo: string, outside: string) => `config-entries/../${relative(repo, outside)}`],
  ])('refuses a target dir that is %s, and reads nothing there', async (_what, dirOf) => {
    const outside = outsideFolder();
    const repo = tempTree({ 'config-entries/web.hcl': ENTRY });
    writeFileSync(join(repo, 'consul-gitops.yaml'), config(dirOf(repo, outside)));
    for (const command of [['plan', '--consul', 'http://127.0.0.1:1'], ['validate'], ['render']]) {
      const r = await runCli(command, repo);
      expect(r.code, command.join(' ')).toBe(1);
      expect(r.stderr).toContain('consul-gitops.yaml: targets.0.dir: a folder inside the repository');
      expect(`${r.stdout}${r.stderr}`).not.toContain(OUTSIDE_SECRET);
      expect(`${r.stdout}${r.stderr}`).not.toContain('stolen');
    }
  });

  it('accepts a dir inside the repository however it is spelled', async () => {
    const repo = tempTree({ 'mesh/prod/web.hcl': ENTRY });
    writeFileSync(join(repo, 'consul-gitops.yaml'), config('./mesh/../mesh/prod/'));
    const r = await runCli(['validate', 'mesh'], repo);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  });

  it('names an unknown key and a wrong type, without the value', async () => {
    const repo = tempTree({
      'config-entries/web.hcl': ENTRY,
      'consul-gitops.yaml':
        'targets:\n  - name: prod\n    prune: "ghp_pastedTokenValue0123456789"\n    consul:\n      token: "pasted-token-value-0123456789"\n',
    });
    const r = await runCli(['validate'], repo);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('consul-gitops.yaml: targets.0.prune: expected boolean, got string');
    expect(r.stderr).toContain('consul-gitops.yaml: targets.0.consul: unknown key "token"');
    expect(r.stderr).not.toContain('Invalid input');
    expect(r.stderr).not.toContain('pasted');
  });

  it('names file, line and column of a YAML error in one line', async () => {
    const repo = tempTree({ 'config-entries/web.hcl': ENTRY, 'consul-gitops.yaml': 'targets:\n  - name: prod\n    prune: true\n    prune: false\n' });
    const r = await runCli(['validate'], repo);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('error: consul-gitops.yaml:4:5: Map keys must be unique\n');
  });

  it('refuses an alias bomb and an unknown alias as errors of the file', async () => {
    const laughs = ['a: &a [x, x, x, x, x, x, x, x, x]'];
    for (const n of 'bcdefgh')
      laughs.push(
        `${n}: &${n} [${Array(9)
          .fill(`*${String.fromCharCode(n.charCodeAt(0) - 1)}`)
          .join(', ')}]`,
      );
    for (const [text, message] of [
      [`${laughs.join('\n')}\n`, 'error: consul-gitops.yaml: Excessive alias count'],
      ['targets: *nowhere\n', 'error: consul-gitops.yaml: Unresolved alias'],
    ]) {
      const repo = tempTree({ 'config-entries/web.hcl': ENTRY, 'consul-gitops.yaml': text });
      const r = await runCli(['validate'], repo);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(message);
    }
  });
});
