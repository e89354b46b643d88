// A jwt-provider's local JWKS may hold the HMAC secret HS256 tokens are signed with (`"kty": "oct"`)
// or a private key (`d`): plan, plan --json and the PR comment show it as `(sensitive value)`, as
// they show a PEM private key. A JWKS of public keys is shown as written.
import { Buffer } from 'node:buffer';
import { describe, expect, it } from 'vitest';
import { planCommand } from '../../src/cli/plan-command.ts';
import { runAgainst, tempTree } from '../support/run-cli.ts';
import { devServerPerTest } from '../support/dev-server-per-test.ts';

const HMAC_SECRET = 'hmac-secret-7d1c0e-recognisable';
const b64 = (jwks: object) => Buffer.from(JSON.stringify(jwks)).toString('base64');
const SECRET_JWKS = b64({ keys: [{ kty: 'oct', kid: 'k1', alg: 'HS256', k: Buffer.from(HMAC_SECRET).toString('base64url') }] });
const PRIVATE_JWKS = b64({
  keys: [
    {
      kty: 'EC',
      crv: 'P-256',
      kid: 'k2',
      x: 'f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU',
      y: 'x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0',
      d: 'jpsQnnGQmL-YBIffH1136cspYG6-0iY7X1fCE9-E9LI',
    },
  ],
});
const PUBLIC_JWKS = b64({
  keys: [{ kty: 'EC', crv: 'P-256', kid: 'k3', x: 'f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU', y: 'x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0' }],
});

const provider = (name: string, jwks: string) =>
  `Kind = "jwt-provider"\nName = "${name}"\nIssuer = "https://issuer.example"\nJSONWebKeySet = {\n  Local = {\n    JWKS = "${jwks}"\n  }\n}\n`;

describe('a jwt-provider local JWKS in a plan', () => {
  const consul = devServerPerTest();

  it('is hidden when it holds a symmetric or private key, shown when its keys are public', async () => {
    const cwd = tempTree({
      'config-entries/hmac.hcl': provider('hmac', SECRET_JWKS),
      'config-entries/private.hcl': provider('private', PRIVATE_JWKS),
      'config-entries/public.hcl': provider('public', PUBLIC_JWKS),
    });
    const text = await runAgainst(consul.url, planCommand, [], cwd);
    const json = await runAgainst(consul.url, planCommand, ['--json'], cwd);
    expect(text.code).toBe(0);
    expect(json.code).toBe(0);
    for (const out of [text.stdout, json.stdout]) {
      expect(out).not.toContain(SECRET_JWKS);
      expect(out).not.toContain(PRIVATE_JWKS);
      expect(out).toContain(PUBLIC_JWKS);
    }
    expect(text.stdout.match(/JWKS = \(sensitive value\)/g)).toHaveLength(2);
  });
});
