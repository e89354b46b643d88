// What the Lambda bundles get when source code imports `undici`: the HTTP/1.1 + HTTP/2 client
// (Agent, request) without undici's fetch, WebSocket, EventSource, cache, cookie and mock modules,
// which the functions never load but undici's index.js pulls into any bundle (about 300 KiB).
// The Lambda bundles (infra/constructs/lambda-bundling.ts aliases `undici` to this file) and the built
// CLI (scripts/build.mjs, which keeps undici's files external); `serve` from source and the tests use
// the package itself. Named exports, not a CommonJS re-export, so esbuild fails the
// build if source code starts importing a name this file lacks. Relative paths into node_modules,
// because the alias would rewrite `undici/lib/...` too.
import Agent from '../node_modules/undici/lib/dispatcher/agent.js';
import Dispatcher from '../node_modules/undici/lib/dispatcher/dispatcher.js';
import api from '../node_modules/undici/lib/api/index.js';
import errors from '../node_modules/undici/lib/core/errors.js';
import util from '../node_modules/undici/lib/core/util.js';
import globalDispatcher from '../node_modules/undici/lib/global.js';

const { InvalidArgumentError } = errors;
const { getGlobalDispatcher, setGlobalDispatcher } = globalDispatcher;

// As undici's index.js does: `dispatcher.request(...)` and friends on every dispatcher.
Object.assign(Dispatcher.prototype, api);

/**
 * undici's index.js `makeDispatcher`, unchanged (undici 7, MIT): the top-level `request(url, opts)`
 * turns a URL and options into a dispatch on `opts.dispatcher` or the global dispatcher.
 */
function makeDispatcher(fn) {
  return (url, opts, handler) => {
    if (typeof opts === 'function') {
      handler = opts;
      opts = null;
    }
    if (!url || (typeof url !== 'string' && typeof url !== 'object' && !(url instanceof URL))) {
      throw new InvalidArgumentError('invalid url');
    }
    if (opts != null && typeof opts !== 'object') {
      throw new InvalidArgumentError('invalid opts');
    }
    if (opts && opts.path != null) {
      if (typeof opts.path !== 'string') {
        throw new InvalidArgumentError('invalid opts.path');
      }
      let path = opts.path;
      if (!opts.path.startsWith('/')) {
        path = `/${path}`;
      }
      url = new URL(util.parseOrigin(url).origin + path);
    } else {
      if (!opts) {
        opts = typeof url === 'object' ? url : {};
      }
      url = util.parseURL(url);
    }
    const { agent, dispatcher = getGlobalDispatcher() } = opts;
    if (agent) {
      throw new InvalidArgumentError('unsupported opts.agent. Did you mean opts.client?');
    }
    return fn.call(
      dispatcher,
      {
        ...opts,
        origin: url.origin,
        path: url.search ? `${url.pathname}${url.search}` : url.pathname,
        method: opts.method || (opts.body ? 'PUT' : 'GET'),
      },
      handler,
    );
  };
}

export { Agent, Dispatcher, errors, getGlobalDispatcher, setGlobalDispatcher };
export const request = makeDispatcher(api.request);
export const stream = makeDispatcher(api.stream);
