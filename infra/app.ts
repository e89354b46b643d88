// `npx cdk synth`: builds the stack from CDK context (cdk.json or `-c key=value`), environment-
// agnostic so it synthesizes offline without credentials, with cdk-nag's AwsSolutions checks.
import { App, Aspects } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { fileURLToPath } from 'node:url';
import { ConsulGitopsStack } from './consul-gitops-stack.ts';
import { stackPropsFromContext } from './context.ts';

const projectRoot = fileURLToPath(new URL('..', import.meta.url));
const app = new App();
const props = stackPropsFromContext((key) => app.node.tryGetContext(key));
new ConsulGitopsStack(app, props.stackName, {
  ...props,
  projectRoot,
  description: 'consul-gitops: GitOps reconciler for Consul config entries',
});
Aspects.of(app).add(new AwsSolutionsChecks({ verbose: true }));
app.synth();
