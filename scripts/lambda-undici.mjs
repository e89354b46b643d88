// What the Lambda bundles get when source code imports `undici`: the HTTP/1.1 + HTTP/2 client
// (Agent, request) without undici's fetch, WebSocket, EventSource, cache, cookie and mock modules,
// which the functions never load but undici's index.js pulls into any bundle (about 300 KiB).
// The Lambda bundles (infra/constructs/lambda-bundling.ts aliases `undici` to this file); the built
// CLI loads the same modules from node_modules instead (scripts/cli-undici.mjs); `serve` from source
// and the tests use the package itself. Named exports, not a CommonJS re-export, so esbuild fails the
// build if source code starts importing a name this file lacks. Relative paths into node_modules,
// because the alias would rewrite `undici/lib/...` too.
import Agent from '../node_modules/undici/lib/dispatcher/agent.js';
import Dispatcher from '../node_modules/undici/lib/dispatcher/dispatcher.js';
import api from '../node_modules/undici/lib/api/index.js';
import errors from '../node_modules/undici/lib/core/errors.js';
import util from '../node_modules/undici/lib/core/util.js';
import globalDispatcher from '../node_modules/undici/lib/global.js';
import { undiciClient } from './undici-client.mjs';

const client = undiciClient({ Agent, Dispatcher, api, errors, util, globalDispatcher });

export const { getGlobalDispatcher, setGlobalDispatcher, request, stream } = client;
export { Agent, Dispatcher, errors };
