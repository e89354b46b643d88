#!/usr/bin/env node
// The process entry of the command line: argv and the process's streams in, the exit code out.
import { main } from './main.ts';
import { processIo } from './io.ts';

process.exitCode = await main(process.argv.slice(2), processIo());
