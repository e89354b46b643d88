// The plan memo is a file in the user's cache directory: what it records of a plan's output is masked
// with the secrets the run knows, as the terminal gets it, never the text before the edge masks it.
import { expect, it } from 'vitest';
import { recordingIo } from '../../../src/cli/plan-cache.ts';
import { KnownSecrets } from '../../../src/known-secrets.ts';

it('records a known secret masked, and passes the text on to the stream that masks it', () => {
  const secrets = new KnownSecrets();
  secrets.add('s3cr3t-token-value', 'CONSUL_HTTP_TOKEN');
  const out: string[] = [];
  const io = { stdout: { write: (s: string) => out.push(s) > 0, isTTY: false }, stderr: { write: () => true, isTTY: false } };
  const recorded = recordingIo(io, secrets);
  recorded.io.stdout.write('token s3cr3t-token-value in a warning\n');
  expect(JSON.stringify(recorded.written)).not.toContain('s3cr3t-token-value');
  expect(recorded.written[0][1]).toContain('token ');
  expect(out).toEqual(['token s3cr3t-token-value in a warning\n']);
});
