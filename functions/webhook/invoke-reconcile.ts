// The webhook Lambda's reconcile starter: one asynchronous invoke of the reconcile function per
// request (`Event`: Lambda queues it and answers 202 at once). The SDK is loaded on the first start,
// so a cold start that answers a ping, a bad signature or an ignored push never pays for it.
import type { LambdaClient } from '@aws-sdk/client-lambda';
import { Buffer } from 'node:buffer';
import type { ReconcileRequest } from '../../src/app/reconcile-request.ts';
import type { ReconcileStarter, StartResult } from '../../src/app/webhook/accept-delivery.ts';
import { ConsulGitopsError } from '../../src/errors.ts';

export function lambdaReconcileStarter(functionName: string, given?: LambdaClient): ReconcileStarter {
  let client: Promise<LambdaClient> | undefined;
  return {
    async start(requests: readonly ReconcileRequest[]): Promise<StartResult> {
      client ??= lambdaClient(given);
      const lambda = await client;
      await Promise.all(requests.map((r) => invoke(lambda, functionName, r)));
      return { kind: 'started', message: 'Reconcile started' };
    },
  };
}

async function lambdaClient(given: LambdaClient | undefined): Promise<LambdaClient> {
  if (given) return given;
  const { LambdaClient } = await import('@aws-sdk/client-lambda');
  // Short timeouts and one retry: the answer to GitHub must not wait on a slow Lambda API.
  return new LambdaClient({ maxAttempts: 2, requestHandler: { connectionTimeout: 1000, requestTimeout: 3000 } });
}

async function invoke(lambda: LambdaClient, functionName: string, request: ReconcileRequest): Promise<void> {
  const { InvokeCommand } = await import('@aws-sdk/client-lambda');
  const result = await lambda.send(new InvokeCommand({ FunctionName: functionName, InvocationType: 'Event', Payload: Buffer.from(JSON.stringify(request)) }));
  if (result.StatusCode !== 202) throw new ConsulGitopsError('internal', `Lambda accepted the event with status ${result.StatusCode}`);
}
