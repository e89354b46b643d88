// dist/hot.cjs is CommonJS: a package imported statically on the way of plan, apply, validate or
// render becomes a `require`, and Node 20 cannot `require` an ES module: the command would crash at
// run time. scripts/build.mjs fails the build instead, naming the package and who imports it.
import { describe, expect, it } from 'vitest';
// @ts-expect-error: the build script is plain JavaScript with no declarations.
import { esOnlyRequiresOfHotCommands as untyped } from '../../scripts/build.mjs';

type Import = { path: string; kind: string; external?: boolean };
const esOnlyRequiresOfHotCommands = untyped as (m: { inputs: Record<string, { imports: Import[] }> }) => string[];

/** The shape of hot.cjs's esbuild metafile: run.ts → main.ts → each command by `import()`. */
function metafile(planImports: Import[], adviseImports: Import[] = []) {
  return {
    inputs: {
      'src/cli/run.ts': { imports: [{ path: 'src/cli/main.ts', kind: 'import-statement' }] },
      'src/cli/main.ts': {
        imports: [
          { path: 'src/cli/plan-command.ts', kind: 'dynamic-import' },
          { path: 'src/cli/render-command.ts', kind: 'dynamic-import' },
          { path: 'src/cli/advise-command.ts', kind: 'dynamic-import' },
        ],
      },
      'src/cli/plan-command.ts': { imports: [{ path: 'src/adapters/x.ts', kind: 'import-statement' }] },
      'src/adapters/x.ts': { imports: planImports },
      'src/cli/render-command.ts': { imports: [] },
      'src/cli/advise-command.ts': { imports: adviseImports },
    },
  };
}

describe('the build refuses an ES-module-only package required by a cached command', () => {
  it('names octokit (type module) and @octokit/webhooks-methods (no require condition) imported on plan’s way', () => {
    const found = esOnlyRequiresOfHotCommands(
      metafile([
        { path: 'octokit', kind: 'import-statement', external: true },
        { path: '@octokit/webhooks-methods', kind: 'import-statement', external: true },
        { path: 'tar-stream', kind: 'import-statement', external: true },
        { path: 'node:fs', kind: 'import-statement', external: true },
      ]),
    );
    expect(found).toEqual(['  octokit <- src/adapters/x.ts', '  @octokit/webhooks-methods <- src/adapters/x.ts']);
  });

  it('allows them behind import(), and in commands hot.cjs never runs (start.ts sends advise to the ES modules)', () => {
    const esOnly = { path: 'octokit', kind: 'import-statement', external: true };
    expect(esOnlyRequiresOfHotCommands(metafile([{ ...esOnly, kind: 'dynamic-import' }], [esOnly]))).toEqual([]);
  });
});
