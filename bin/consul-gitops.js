#!/usr/bin/env node
// Runs the command line from its TypeScript source through tsx (development, tests, benchmarks).
// The installed command is dist/consul-gitops.js, built by `npm run build` (scripts/build.mjs).
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/entry.ts');
