// A loopback stand-in for the Secrets Manager and SSM Parameter Store JSON APIs (POST / with
// X-Amz-Target `secretsmanager.GetSecretValue` or `AmazonSSM.GetParameter`, awsJson1_1), for tests
// that drive the real AWS SDK clients through Powertools Parameters. Point a client at `endpoint`
// (AWS_ENDPOINT_URL_SECRETS_MANAGER / AWS_ENDPOINT_URL_SSM) with any credentials.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SecretsDouble {
  endpoint: string;
  /** Secrets Manager secrets and SSM parameters by name; change a value to rotate it. */
  secrets: Map<string, string>;
  parameters: Map<string, string>;
  /** Every call: its target and the request body. */
  calls: { target: string; body: Record<string, unknown> }[];
  /** When set, every call is answered with this AWS error (type and message) instead. */
  failWith: { status: number; type: string; message: string } | undefined;
  close(): Promise<void>;
}

export async function startSecretsDouble(): Promise<SecretsDouble> {
  const double: Omit<SecretsDouble, 'endpoint' | 'close'> = { secrets: new Map(), parameters: new Map(), calls: [], failWith: undefined };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const target = String(req.headers['x-amz-target'] ?? '');
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Record<string, unknown>;
      double.calls.push({ target, body });
      const error = (status: number, type: string, message: string) =>
        res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-errortype': type }).end(JSON.stringify({ __type: type, message }));
      const ok = (value: unknown) => res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' }).end(JSON.stringify(value));
      if (double.failWith) return error(double.failWith.status, double.failWith.type, double.failWith.message);
      if (target === 'secretsmanager.GetSecretValue') {
        const id = String(body.SecretId);
        const value = double.secrets.get(id);
        if (value === undefined) return error(400, 'ResourceNotFoundException', "Secrets Manager can't find the specified secret.");
        return ok({ ARN: `arn:aws:secretsmanager:us-east-1:123456789012:secret:${id}`, Name: id, SecretString: value, VersionId: 'v1', CreatedDate: 1 });
      }
      if (target === 'AmazonSSM.GetParameter') {
        const name = String(body.Name);
        const value = double.parameters.get(name);
        if (value === undefined) return error(400, 'ParameterNotFound', '');
        return ok({
          Parameter: {
            Name: name,
            Type: 'SecureString',
            Value: value,
            Version: 1,
            ARN: `arn:aws:ssm:us-east-1:123456789012:parameter${name}`,
            DataType: 'text',
          },
        });
      }
      error(400, 'UnknownOperationException', '');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(double, {
    endpoint: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  });
}

/** The environment a function sees, pointing both SDK clients at the double, with fake credentials. */
export function awsEnv(double: SecretsDouble): Record<string, string> {
  return {
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
    AWS_SECRET_ACCESS_KEY: 'fake-secret-access-key',
    AWS_ENDPOINT_URL_SECRETS_MANAGER: double.endpoint,
    AWS_ENDPOINT_URL_SSM: double.endpoint,
  };
}
