// How `npm test` runs: every test file in its own process (forks, isolated), as many at once as the
// machine has cores (at least two), and the files that run long start first so the run does not end
// on one of them alone.
import { readFileSync } from 'node:fs';
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

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    reporters: ['default', './test/support/closing-line-reporter.ts'],
    testTimeout: 20_000,
    // Refuses, and fails the test for, any connection beyond loopback made in a test process.
    setupFiles: ['./test/support/loopback-only.ts'],
    pool: 'forks',
    // vitest's default is one fewer than the cores: one file at a time on a 2-core CI machine, whose
    // second core then idles. Three workers on two cores timed tests out under a load of 15.
    maxWorkers: Math.max(2, availableParallelism()),
    sequence: { sequencer: LongFirst },
  },
});
