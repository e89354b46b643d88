// The consul-gitops command line: one sub-command per use case, each a thin shell over the core.
import { renderCommand, validateCommand } from './render-command.ts';
import { demoCommand } from './demo-command.ts';
import { devServerCommand } from '../dev-server/command.ts';
import { applyCommand, planCommand } from './plan-command.ts';
import { auditCommand } from './audit-command.ts';
import { serveCommand } from './serve-command.ts';
import type { CliIo } from './io.ts';
import { isConsulError } from '../adapters/consul/errors.ts';

const HELP = `consul-gitops: GitOps for HashiCorp Consul config entries

Usage:
  consul-gitops render [PATH...] [--json] [--normalized]
      Print each entry as \`consul config write\` would send it (default PATH: config-entries/).
      --json        one JSON array on stdout, sorted by kind, partition, namespace, name
      --normalized  the form Consul stores after its own normalisation (what the diff compares)
  consul-gitops validate [PATH...]
      Render plus the checks Consul's server makes on each entry and across entries.
  consul-gitops dev-server [--port 8500] [--host 127.0.0.1] [--acl-token T] [--data FILE] [--latency-ms N]
      An embedded Consul-compatible HTTP API (config entries, KV, catalog) for local runs and tests.
  consul-gitops plan [--dir config-entries] [--consul URL] [--target NAME] [--config FILE]
                     [--prune] [--adopt] [--json] [--detailed-exitcode]
      Compare the files with Consul. Exit 0 no changes, 2 changes (with --detailed-exitcode), 1 error.
  consul-gitops apply [...same] [--allow-mass-delete] [--commit SHA --commit-time RFC3339] [--lock-wait 120]
      Apply the plan in safe order with check-and-set, one run per target at a time (a lock in
      Consul KV); deletes only entries it owns (--prune); writes unmanaged entries only with --adopt.
  consul-gitops audit [--consul URL] [--json] [--require-strict]
      Which services are still permissive, and the mesh-wide mTLS flags.
  consul-gitops serve [--port 8080] [--host 127.0.0.1] [--env-file FILE]
      Webhook receiver, in-process reconcile queue and drift timer in one long-lived process
      (the AWS Lambda functions, without AWS).
  consul-gitops demo
      What \`npm start\` runs: dev server in-process, plan, apply, plan again, audit.
  consul-gitops --help

Files: *.hcl (HCL as \`consul config write\` reads it), *.json, *.yaml/*.yml (plain entries or
Kubernetes CRDs, apiVersion consul.hashicorp.com/v1alpha1). Exit codes: 0 ok, 1 errors.
`;

type Command = (args: string[], io: CliIo) => Promise<number>;

const COMMANDS: Record<string, Command> = {
  render: renderCommand,
  validate: validateCommand,
  demo: demoCommand,
  plan: (args, io) => planCommand(args, io),
  apply: (args, io) => applyCommand(args, io),
  audit: (args, io) => auditCommand(args, io),
  serve: (args, io) => serveCommand(args, io),
  'dev-server': (args, io) => devServerCommand(args, io),
};

export async function main(argv: string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.stdout.write(HELP);
    return 0;
  }
  const command = COMMANDS[name];
  if (!command) {
    io.stderr.write(`unknown command "${name}"\n\n${HELP}`);
    return 1;
  }
  try {
    return await command(rest, io);
  } catch (e) {
    // parseArgs rejects unknown flags with a TypeError whose message names the flag.
    io.stderr.write(`error: ${(e as Error).message}\n`);
    if (isConsulError(e) && e.kind === 'unavailable')
      io.stderr.write('  hint: is Consul running there? Set CONSUL_HTTP_ADDR or pass --consul URL (`consul-gitops dev-server` starts a local one)\n');
    return 1;
  }
}
