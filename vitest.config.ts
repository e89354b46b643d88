// How `npm test` runs: the pure tests (test/unit, *.pure.test.ts) in worker threads that each run
// file after file in one module graph; every other test file in its own process (forks, isolated); as
// many at once as the machine has cores (at least two), and the files that run long start first so
// the run does not end on one of them alone.
import { readdirSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * What marks a test file as long-running before it has ever run (a clean clone has no timings):
 * it builds the CLI or a CDK app, starts processes or Prometheus, runs property tests, or gives a
 * test a timeout of its own. A rule on a file's text, so new files are ordered too.
 */
const LONG_RUNNING = [
  /scripts\/build\.mjs/,
  /aws-cdk-lib/,
  /node:child_process/,
  /support\/prometheus/,
  /startLambdaDouble/,
  /fast-check/,
  /\{ timeout: \d/,
  /timeout: [1-9]\d_?000\b/,
];

/** Long files first: by the last run's duration when vitest remembers it, else by the marks above, then size. */
class LongFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const byDefault = await super.sort(files);
    const cost = new Map<TestSpecification, number>();
    for (const spec of byDefault) {
      const key = `${spec.project.name}:${spec.moduleId.slice(this.ctx.config.root.length + 1)}`;
      const known = this.ctx.cache.getFileTestResults(key)?.duration;
      let text = '';
      try {
        text = readFileSync(spec.moduleId, 'utf8');
      } catch {
        // Unreadable here: vitest reports it when it runs the file.
      }
      cost.set(spec, known ?? LONG_RUNNING.filter((r) => r.test(text)).length * 5_000 + text.length / 10);
    }
    return byDefault.sort((a, b) => cost.get(b)! - cost.get(a)!);
  }
}

/**
 * test/unit, and any file named `*.pure.test.ts` elsewhere, hold tests of pure code: plain data in,
 * plain data out, no servers, no processes, no process-wide settings (environment, working directory,
 * signal handlers, timers), no state left in a module. A fresh process per file cost about 0.4 s of
 * CPU before its first test, and importing src again in each file most of the rest (the 89 unit files
 * took 151 s of CPU isolated in forks, 78 s in threads sharing their modules); so they share a thread
 * and its modules. A test that needs a process of its own is named `*.test.ts` outside test/unit. The
 * rest run as before, each file in a fresh process.
 */
const PURE = ['test/unit/**/*.test.ts', 'test/**/*.pure.test.ts'];

/**
 * The test files that run the built CLI (they import test/support/built-cli.ts), found by their
 * text, so a new one is found too: their project builds the CLI once per run, before they start
 * (test/support/build-cli-once.ts), where each built it for itself (five builds of about 5 s).
 */
const BUILT_CLI = readdirSync('test', { recursive: true, encoding: 'utf8' })
  .filter((f) => f.endsWith('.test.ts') && readFileSync(`test/${f}`, 'utf8').includes('support/built-cli.ts'))
  .map((f) => `test/${f}`);

export default defineConfig({
  test: {
    projects: [
      { extends: true, test: { name: 'pure', include: PURE, pool: 'threads', isolate: false } },
      { extends: true, test: { name: 'built-cli', include: BUILT_CLI, exclude: PURE, pool: 'forks', globalSetup: ['./test/support/build-cli-once.ts'] } },
      { extends: true, test: { name: 'isolated', include: ['test/**/*.test.ts'], exclude: [...PURE, ...BUILT_CLI], pool: 'forks' } },
    ],
    reporters: ['default', './test/support/closing-line-reporter.ts'],
    testTimeout: 20_000,
    // Refuses, and fails the test for, any connection beyond loopback made in a test process.
    setupFiles: ['./test/support/loopback-only.ts'],
    // vitest's default is one fewer than the cores: one file at a time on a 2-core CI machine, whose
    // second core then idles. Three workers on two cores timed tests out under a load of 15.
    maxWorkers: Math.max(2, availableParallelism()),
    sequence: { sequencer: LongFirst },
  },
});
