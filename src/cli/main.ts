// The consul-gitops command line: one sub-command per use case, each a thin shell over the core.
// Commands are imported when run, not at start: `--help` loads this file alone, and each command
// only its own dependency graph (see bench/cli-start.bench.ts).
import type { AdviseEnv } from './advise-command.ts';
import type { CliIo } from './io.ts';

/** One section of the help text per command: what `consul-gitops CMD --help` prints. */
const SECTIONS: Record<string, string> = {
  render: `  consul-gitops render [PATH...] [--json] [--normalized] [--max-file-size 1MiB]
      Print each entry as \`consul config write\` would send it (default PATH: config-entries/).
      --json        one JSON array on stdout, sorted by kind, partition, namespace, name
      --normalized  the form Consul stores after its own normalisation (what the diff compares)
`,
  validate: `  consul-gitops validate [PATH...] [--max-file-size 1MiB]
      Render plus the checks Consul's server makes on each entry and across entries.
`,
  'dev-server': `  consul-gitops dev-server [--port 8500] [--host 127.0.0.1] [--acl-token T] [--acl-policy-file FILE] [--data FILE] [--latency-ms N]
      An embedded Consul-compatible HTTP API (config entries, KV, catalog) for local runs and tests.
`,
  plan: `  consul-gitops plan [--dir config-entries] [--consul URL] [--target NAME] [--config FILE]
                     [--prune] [--adopt] [--json] [--detailed-exitcode] [--max-file-size 1MiB]
                     [--only KIND/NAME ...] [--out FILE]
      Compare the files with Consul. Exit 0 no changes, 2 changes (with --detailed-exitcode), 1 error;
      with --detailed-exitcode, 3: no changes apply can make, but Consul differs from Git (see Left alone).
      --only KIND/NAME  only these entries (repeatable); refused when that breaks a cross-entry rule
      --out FILE        save the plan for \`apply FILE\` (mode 0600: entries may hold private keys)
`,
  apply: `  consul-gitops apply [--dir config-entries] [--consul URL] [--target NAME] [--config FILE]
                      [--prune] [--adopt] [--json] [--allow-mass-delete] [--allow-field-loss] [--max-file-size 1MiB]
                      [--commit SHA --commit-time RFC3339] [--lock-wait 120]
                      [--only KIND/NAME ...] [--auto-approve]
  consul-gitops apply FILE [--max-plan-age 1h] [--consul URL] [--target NAME] [--lock-wait 120]
      Apply the plan in safe order with check-and-set, one run per target at a time (a lock in
      Consul KV); deletes only entries it owns (--prune); writes unmanaged entries only with --adopt,
      and updates that would remove live fields it does not know only with --allow-field-loss.
      At a terminal it shows the plan and asks; only 'yes' applies (--auto-approve skips the question).
      apply FILE applies exactly a plan saved with \`plan --out FILE\`, or refuses: Consul changed since,
      the plan is older than --max-plan-age, it is for another target, or the file was edited.
`,
  import: `  consul-gitops import [--dir config-entries] [--consul URL] [--target NAME] [--config FILE]
                       [--format hcl|json|yaml|crd] [--kinds a,b] [--only-unmanaged] [--force]
      Write every live config entry to <dir>/<kind>/<name>.<ext>, minimal and in the chosen format,
      each checked to read back as exactly what Consul holds; nothing is written if one is not.
      Existing files that describe the same entry are left alone; others only with --force.
      Then review, commit, and \`plan --adopt\` shows only the ownership markers being added.
`,
  audit: `  consul-gitops audit [--consul URL] [--json] [--require-strict]
                       [--posture [--require CHECK,...]]
      Which services are still permissive, and the mesh-wide mTLS flags. With --posture, the
      production checklist too (ACLs, transport, CA, mesh, intentions, sidecar ports): exit 1 when
      a check fails, or with --require when a named check fails or cannot be read.
`,
  advise: `  consul-gitops advise [--dir D] [--consul URL] [--target NAME] [--config FILE]
                       --stats prometheus=URL|envoy [--window 7d] [--json] [--open-prs]
      Which permissive services can go strict: judged from their sidecars' plaintext and mTLS
      counters over the window (Prometheus durations: 90m, 2h, 7d, 1w). Verdicts:
      ready-for-strict, still-receiving-plaintext, no-mtls-traffic-yet, insufficient-data, blocked.
      Also lists services strict in Git but still permissive in Consul. Exit 0 judged, 1 error.
      --open-prs: one pull request per ready service (or advisor.grouping: all), the mesh lockdown
      PR and the \`mTLS posture\` issue, on GITHUB_REPOSITORY with GITHUB_TOKEN (or the App variables).
`,
  serve: `  consul-gitops serve [--port 8080] [--host 127.0.0.1] [--env-file FILE]
      Webhook receiver, in-process reconcile queue and drift timer in one long-lived process
      (the AWS Lambda functions, without AWS).
`,
  demo: `  consul-gitops demo
      What \`npm start\` runs: dev server in-process, plan, apply, plan again, audit.
`,
};

/** Commands with a longer usage of their own (flags explained one per line), kept next to their flags. */
const DETAILED_USAGE: Record<string, () => Promise<string>> = {
  serve: async () => (await import('./serve-command.ts')).SERVE_USAGE,
  'dev-server': async () => (await import('../dev-server/command.ts')).DEV_SERVER_USAGE,
};

const FOOTER = `Files: *.hcl (HCL as \`consul config write\` reads it), *.json, *.yaml/*.yml (plain entries or
Kubernetes CRDs, apiVersion consul.hashicorp.com/v1alpha1). Exit codes: 0 ok, 1 errors.
`;

const HELP = `consul-gitops: GitOps for HashiCorp Consul config entries

Usage:
${Object.values(SECTIONS).join('')}  consul-gitops CMD --help
  consul-gitops --help

${FOOTER}`;

/** `consul-gitops CMD --help`: the command's own section of HELP. */
export async function commandHelp(name: string): Promise<string> {
  const detailed = DETAILED_USAGE[name];
  return detailed ? await detailed() : `Usage:\n${SECTIONS[name]}`;
}

/** What tests (and embedders) may replace; everything else is built from flags and environment. */
export type MainDeps = Pick<AdviseEnv, 'trafficSource' | 'now' | 'github' | 'env' | 'sleep'>;

type Command = (args: string[], io: CliIo, deps: MainDeps) => Promise<number>;

const COMMANDS: Record<string, () => Promise<Command>> = {
  render: async () => (await import('./render-command.ts')).renderCommand,
  validate: async () => (await import('./render-command.ts')).validateCommand,
  demo: async () => (await import('./demo-command.ts')).demoCommand,
  plan: async () => {
    const { planCommand } = await import('./plan-command.ts');
    return (args, io, deps) => planCommand(args, io, { ...(deps.env ? { env: deps.env } : {}) });
  },
  apply: async () => {
    const { applyCommand } = await import('./plan-command.ts');
    return (args, io, deps) => applyCommand(args, io, { ...(deps.env ? { env: deps.env } : {}), ...(deps.sleep ? { sleep: deps.sleep } : {}) });
  },
  audit: async () => {
    const { auditCommand } = await import('./audit-command.ts');
    return (args, io, deps) => auditCommand(args, io, { ...(deps.env ? { env: deps.env } : {}) });
  },
  import: async () => {
    const { importCommand } = await import('./import-command.ts');
    return (args, io, deps) => importCommand(args, io, { ...(deps.env ? { env: deps.env } : {}) });
  },
  advise: async () => (await import('./advise-command.ts')).adviseCommand,
  serve: async () => {
    const { serveCommand } = await import('./serve-command.ts');
    return (args, io) => serveCommand(args, io);
  },
  'dev-server': async () => {
    const { devServerCommand } = await import('../dev-server/command.ts');
    return (args, io) => devServerCommand(args, io);
  },
};

/** `--help` or `-h` anywhere before a `--` terminator. */
function asksForHelp(args: readonly string[]): boolean {
  for (const a of args) {
    if (a === '--') return false;
    if (a === '--help' || a === '-h') return true;
  }
  return false;
}

export async function main(argv: string[], io: CliIo, deps: MainDeps = {}): Promise<number> {
  const [name, ...rest] = argv;
  if (name === 'help' && rest[0] && Object.hasOwn(COMMANDS, rest[0])) {
    io.stdout.write(await commandHelp(rest[0]));
    return 0;
  }
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.stdout.write(HELP);
    return 0;
  }
  const load = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!load) {
    const { escapeControl } = await import('../model/errors.ts');
    io.stderr.write(`unknown command "${escapeControl(name)}"\n\n${HELP}`);
    // A script asking for --json decides by the code, as for any other failure (src/errors.ts).
    const { wantsJson } = await import('./errors.ts');
    if (wantsJson(rest)) io.stdout.write(`${JSON.stringify({ error: { code: 'usage', message: `unknown command "${name}"` } })}\n`);
    return 1;
  }
  if (asksForHelp(rest)) {
    io.stdout.write(await commandHelp(name));
    return 0;
  }
  // Past this point a command may load secrets (tokens, credentials): everything it prints is masked.
  const { maskedIo } = await import('./io.ts');
  const out = maskedIo(io);
  try {
    return await run(load, rest, out, deps, name);
  } finally {
    out.noticeShortSecrets();
  }
}

async function run(load: () => Promise<Command>, rest: string[], io: CliIo, deps: MainDeps, name: string): Promise<number> {
  try {
    const command = await load();
    return await command(rest, io, deps);
  } catch (e) {
    // The one place a command's thrown error is rendered: by its code (src/errors.ts), never its text.
    const { failWith, wantsJson } = await import('./errors.ts');
    const { errorCode } = await import('../errors.ts');
    const { isConsulError } = await import('../adapters/consul/errors.ts');
    failWith(io, e, { json: wantsJson(rest) });
    // parseArgs rejects unknown flags with a TypeError (code ERR_PARSE_ARGS_*) whose message names the flag.
    if (errorCode(e) === 'usage') io.stderr.write(`  see: consul-gitops ${name} --help\n`);
    if (isConsulError(e) && e.kind === 'unavailable')
      io.stderr.write('  hint: is Consul running there? Set CONSUL_HTTP_ADDR or pass --consul URL (`consul-gitops dev-server` starts a local one)\n');
    // Consul's whole answer to a secret it does not know (acl.ErrNotFound): it names neither the request nor the cause.
    if (isConsulError(e) && e.kind === 'permission' && /^ACL not found$/i.test(e.message))
      io.stderr.write(
        `  hint: Consul knows no token with the secret sent (${e.method} ${e.path}): it was deleted or has expired, or belongs to another cluster. ` +
          'Check CONSUL_HTTP_TOKEN or CONSUL_HTTP_TOKEN_FILE (or tokenEnv/tokenFile of the target in consul-gitops.yaml)\n',
      );
    return 1;
  }
}
