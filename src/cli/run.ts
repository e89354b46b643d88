// The command line as a process runs it: argv and the process's streams in, the exit code set.
// Shared by entry.ts (the TypeScript source, and the built CLI's ES module build) and the built
// CLI's code-cached bundle of the busiest commands (start.ts).
import { main } from './main.ts';
import { processIo } from './io.ts';
import { setBuildHash } from './entry-cache.ts';

/** `build`: the bundle's SHA-256 when run from it (cached-run.ts), which the entry cache is keyed by. */
export async function run(argv: string[], build?: Buffer): Promise<void> {
  if (build) setBuildHash(build);
  process.exitCode = await main(argv, processIo());
}
