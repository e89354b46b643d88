// Flags, environment and consul-gitops.yaml → one resolved target and a Consul client for it,
// with the precedence Consul's own CLI users expect: flag over file over environment.
import { ConsulClient, type ConsulClientDeps } from '../adapters/consul/client.ts';
import { optionsFromEnv, type ConsulClientOptionsInput } from '../adapters/consul/options.ts';
import { DEFAULT_TARGETS_FILE, loadTargets, tokenFileOrigin, caCertOrigin, type Target, type TargetsFile } from '../config/targets.ts';
import { ConsulGitopsError } from '../errors.ts';
import { knownSecrets } from '../known-secrets.ts';

export interface ResolvedTarget {
  file: TargetsFile;
  target: Target;
  consul: ConsulClient;
}

export interface TargetFlags {
  config?: string;
  target?: string;
  consul?: string;
  dir?: string;
}

/** `clientDeps`: what the Consul client is built with besides its options (a command's injected `sleep`). */
export async function resolveTarget(
  flags: TargetFlags,
  env: Readonly<Record<string, string | undefined>>,
  cwd: string,
  clientDeps: ConsulClientDeps = {},
): Promise<ResolvedTarget> {
  const file = await loadTargets(flags.config, cwd);
  // `--target "$TARGET"` with the variable unset: not "the first target", which is another one's.
  if (flags.target === '') throw new ConsulGitopsError('usage', `--target needs a target name (have: ${file.targets.map((t) => t.name).join(', ')})`);
  const target = flags.target !== undefined ? file.targets.find((t) => t.name === flags.target) : file.targets[0];
  if (!target)
    throw new ConsulGitopsError(
      'config',
      `no target named "${flags.target}" in ${flags.config ?? DEFAULT_TARGETS_FILE} (have: ${file.targets.map((t) => t.name).join(', ')})`,
    );
  const resolved = { ...target, ...(flags.dir ? { dir: flags.dir } : {}) };
  // A named variable that holds nothing is a mistake, not "use CONSUL_HTTP_TOKEN": that may be
  // another cluster's token, or a broader one than the file chose for this target.
  if (resolved.consul.tokenEnv && !env[resolved.consul.tokenEnv])
    throw new ConsulGitopsError(
      'config',
      `${flags.config ?? DEFAULT_TARGETS_FILE}: target "${resolved.name}": consul.tokenEnv names ${resolved.consul.tokenEnv}, which is unset or empty: set it to the target's ACL token (CONSUL_HTTP_TOKEN is not used in its place)`,
    );
  const fromEnv = optionsFromEnv(env);
  const c = resolved.consul;
  // Registered here, named by where they came from, before anything can print them; the client
  // registers a token file's contents when it reads it (src/adapters/consul/client.ts).
  knownSecrets.add(env.CONSUL_HTTP_TOKEN, 'env CONSUL_HTTP_TOKEN');
  if (c.tokenEnv) knownSecrets.add(env[c.tokenEnv], `env ${c.tokenEnv} (tokenEnv of target "${resolved.name}")`);
  const options: ConsulClientOptionsInput = {
    ...fromEnv,
    ...(c.address ? { address: c.address } : {}),
    ...(c.datacenter ? { datacenter: c.datacenter } : {}),
    ...(c.partition ? { partition: c.partition } : {}),
    ...(c.namespace ? { namespace: c.namespace } : {}),
    ...(resolved.namespaces ? { managedNamespaces: resolved.namespaces } : {}),
    ...(c.tokenEnv ? { token: env[c.tokenEnv] } : {}),
    // Already absolute: loadTargets reads it relative to the config file's folder, not the working directory.
    ...(c.tokenFile ? { tokenFile: c.tokenFile, tokenFileFrom: tokenFileOrigin(resolved, flags.config ?? DEFAULT_TARGETS_FILE) } : {}),
    ...(c.caCert || c.tlsServerName
      ? {
          tls: {
            ...fromEnv.tls,
            ...(c.caCert ? { caFile: c.caCert, caFileFrom: caCertOrigin(resolved, flags.config ?? DEFAULT_TARGETS_FILE) } : {}),
            ...(c.tlsServerName ? { serverName: c.tlsServerName } : {}),
          },
        }
      : {}),
    ...(flags.consul ? { address: flags.consul } : {}),
  };
  return { file, target: resolved, consul: new ConsulClient(options, clientDeps) };
}
