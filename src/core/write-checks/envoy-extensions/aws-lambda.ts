// builtin/aws/lambda's Constructor (agent/envoyextensions/builtin/aws-lambda/aws_lambda.go, fromArguments →
// validate): mapstructure.Decode of Arguments into { ARN, PayloadPassthrough, InvocationMode }, then a
// multierror whose only check is that ARN is set. The ARN is parsed only when xDS is generated, not on write.
import { append, leaf, type GoError } from '../go-error.ts';
import { argumentPath, stringArgument } from './arguments.ts';

/** The Constructor's error for these Arguments, or undefined. `at` is `EnvoyExtensions[i].Arguments`. */
export function awsLambdaArgumentsError(args: unknown, at: string): GoError | undefined {
  const arn = stringArgument(args, 'ARN');
  if (arn !== '') return undefined;
  return append(undefined, leaf(argumentPath(at, args, 'ARN'), 'ARN is required'));
}
