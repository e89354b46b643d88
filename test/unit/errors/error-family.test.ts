// Every exception consul-gitops throws belongs to one family (src/errors.ts): each exported error
// class of src/ and functions/ extends ConsulGitopsError, and no class anywhere extends Error directly.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ConsulGitopsError, ERROR_CODES, errorCode } from '../../../src/errors.ts';

const ROOT = join(import.meta.dirname, '../../..');

function sources(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true, recursive: true })
    .filter((d) => d.isFile() && d.name.endsWith('.ts') && !d.name.endsWith('.d.ts'))
    .map((d) => relative(ROOT, join(d.parentPath, d.name)))
    .sort();
}

const FILES = [...sources('src'), ...sources('functions')];

describe('the error family', () => {
  it('no class outside src/errors.ts extends Error (or another built-in error) directly', () => {
    const direct = FILES.filter((f) => f !== 'src/errors.ts').flatMap((f) =>
      [...readFileSync(join(ROOT, f), 'utf8').matchAll(/class\s+(\w+)\s+extends\s+(Error|TypeError|RangeError|SyntaxError|AggregateError)\b/g)].map(
        (m) => `${f}: ${m[1]} extends ${m[2]}`,
      ),
    );
    expect(direct).toEqual([]);
  });

  it('every exported error class of every module extends ConsulGitopsError and has a documented code', async () => {
    const classes: string[] = [];
    const outside: string[] = [];
    for (const f of FILES) {
      const exports = (await import(pathToFileURL(join(ROOT, f)).href)) as Record<string, unknown>;
      for (const [name, value] of Object.entries(exports)) {
        if (typeof value !== 'function' || !(value.prototype instanceof Error)) continue;
        classes.push(`${f}: ${name}`);
        if (value !== ConsulGitopsError && !(value.prototype instanceof ConsulGitopsError)) outside.push(`${f}: ${name}`);
      }
    }
    expect(outside).toEqual([]);
    // The walk found the family (a walk that imports nothing would pass the check above vacuously).
    expect(classes).toEqual(expect.arrayContaining(['src/adapters/consul/errors.ts: ConsulError', 'src/app/target-lock.ts: TargetBusyError']));
  }, 120_000);

  it('a code is what the edges read; parseArgs errors are usage errors, anything else internal', () => {
    expect(errorCode(new ConsulGitopsError('mass-delete', 'x'))).toBe('mass-delete');
    expect(errorCode(Object.assign(new TypeError('Unknown option'), { code: 'ERR_PARSE_ARGS_UNKNOWN_OPTION' }))).toBe('usage');
    expect(errorCode(new Error('boom'))).toBe('internal');
    for (const [code, meaning] of Object.entries(ERROR_CODES)) expect(meaning.length, code).toBeGreaterThan(10);
  });
});
