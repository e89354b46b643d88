// The schedule function refuses to run without GITHUB_REPOSITORY (it names the branch to check for
// drift), and the webhook refuses every delivery without it. The stack therefore requires
// `repository`: a stack deployed without it would fail every run, fill the dead-letter queue and
// keep the error alarms ringing.
import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ConsulGitopsStack, type ConsulGitopsStackProps } from '../../infra/consul-gitops-stack.ts';
import { createScheduleHandler } from '../../functions/schedule/handler.ts';

const projectRoot = fileURLToPath(new URL('../..', import.meta.url));

function synth(props: Partial<ConsulGitopsStackProps> & Pick<ConsulGitopsStackProps, 'repository'>) {
  // CDK's built-in CloudFormation validation only warns, and cost about 8 s of CPU per synth here.
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] }, builtinCloudFormationValidation: false });
  const stack = new ConsulGitopsStack(app, 'ConsulGitops', {
    projectRoot,
    webhookSecret: { secretName: 'consul-gitops/github-webhook-secret' },
    consulTokenSecret: { secretName: 'consul-gitops/consul-token' },
    githubTokenSecret: { secretName: 'consul-gitops/github-token' },
    ...props,
  });
  return { stack, template: Template.fromStack(stack) };
}

function scheduleEnv(template: Template): Record<string, unknown> {
  const fns = template.findResources('AWS::Lambda::Function', { Properties: { Description: Match.stringLikeRegexp('^consul-gitops: periodic') } });
  return (Object.values(fns)[0] as any).Properties.Environment.Variables;
}

// CDK synth takes seconds alone and much longer on a loaded machine.
describe('schedule wiring', { timeout: 180_000 }, () => {
  it('without a repository, the stack refuses to synthesize, naming the key', async () => {
    expect(() => synth({ repository: undefined as unknown as string })).toThrow('repository (owner/name, -c repository=...) is required');
    // What the schedule function would do without it: fail.
    await expect(createScheduleHandler({ env: { RECONCILE_FUNCTION_NAME: 'r' }, log: () => {} })({ id: 'e' })).rejects.toThrow('GITHUB_REPOSITORY');
  });

  it('with a repository, the rule is enabled and the schedule gets it', () => {
    const a = synth({ repository: 'acme/mesh-config' });
    a.template.hasResourceProperties('AWS::Events::Rule', { State: 'ENABLED' });
    expect(scheduleEnv(a.template).GITHUB_REPOSITORY).toBe('acme/mesh-config');
  });
});
