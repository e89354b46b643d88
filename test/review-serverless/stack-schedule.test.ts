// The schedule function refuses to run without GITHUB_REPOSITORY (it names the branch to check for
// drift). A stack deployed without `repository` must not fire it every 15 minutes only to fail,
// fill the dead-letter queue and keep the error alarms ringing.
import { App } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ConsulGitopsStack, type ConsulGitopsStackProps } from '../../infra/consul-gitops-stack.ts';
import { createScheduleHandler } from '../../functions/schedule/handler.ts';

const projectRoot = fileURLToPath(new URL('../..', import.meta.url));

function synth(props: Partial<ConsulGitopsStackProps> = {}) {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
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
  it('without a repository, the rule is disabled (with a warning) instead of failing every run', async () => {
    const { stack, template } = synth();
    const env = scheduleEnv(template);
    expect(env.GITHUB_REPOSITORY).toBeUndefined();
    // What the function would do with that environment: fail.
    await expect(createScheduleHandler({ env: env as Record<string, string>, log: () => {} })({ id: 'e' })).rejects.toThrow('GITHUB_REPOSITORY');
    template.hasResourceProperties('AWS::Events::Rule', { State: 'DISABLED' });
    expect(Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('repository'))).not.toHaveLength(0);
  });

  it('with a repository (context key or the schedule environment), the rule is enabled', () => {
    const a = synth({ repository: 'acme/mesh-config' });
    a.template.hasResourceProperties('AWS::Events::Rule', { State: 'ENABLED' });
    expect(scheduleEnv(a.template).GITHUB_REPOSITORY).toBe('acme/mesh-config');
    synth({ environment: { schedule: { GITHUB_REPOSITORY: 'acme/mesh-config' } } }).template.hasResourceProperties('AWS::Events::Rule', { State: 'ENABLED' });
  });
});
