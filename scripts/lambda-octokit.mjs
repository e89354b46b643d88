// What the Lambda bundles get when source code imports `octokit`: the package's own Octokit class
// (its dist-src/octokit.js: core + REST methods, pagination, retry, throttling) without its index's
// App, OAuthApp and webhook middleware, which no function uses but every bundle would carry.
// Bundling only (infra/constructs/lambda-bundling.ts); the CLI, `serve` and the tests use the package.
// GitHub App installations authenticate through @octokit/auth-app (src/adapters/github/octokit.ts).
export { Octokit, RequestError } from '../node_modules/octokit/dist-src/octokit.js';
