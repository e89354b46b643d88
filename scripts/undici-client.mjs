// undici's HTTP client (Agent, request, stream) assembled from its own modules, without the
// index.js that also loads fetch, WebSocket, EventSource, caches and mocks. Shared by the Lambda
// bundles (scripts/lambda-undici.mjs, undici compiled in) and the built CLI (scripts/cli-undici.mjs,
// undici loaded from node_modules at run time).

/**
 * The client from undici's modules, as undici's index.js builds it: `dispatcher.request(...)` and
 * friends on every dispatcher, and the top-level `request(url, opts)` and `stream(url, opts)`.
 */
export function undiciClient({ Agent, Dispatcher, api, errors, util, globalDispatcher }) {
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

  return {
    Agent,
    Dispatcher,
    errors,
    getGlobalDispatcher,
    setGlobalDispatcher,
    request: makeDispatcher(api.request),
    stream: makeDispatcher(api.stream),
  };
}
