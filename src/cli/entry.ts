#!/usr/bin/env node
// The process entry of the command line: argv and the process's streams in, the exit code out.
import { run } from './run.ts';

await run(process.argv.slice(2));
