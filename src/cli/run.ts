// The command line as a process runs it: argv and the process's streams in, the exit code set.
// Shared by entry.ts (the TypeScript source, and the built CLI's ES module build) and the built
// CLI's code-cached bundle of the busiest commands (start.ts).
import { main } from './main.ts';
import { processIo } from './io.ts';

export async function run(argv: string[]): Promise<void> {
  process.exitCode = await main(argv, processIo());
}
