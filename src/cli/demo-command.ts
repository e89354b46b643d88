// `npm start`: the whole loop on a fresh machine with no cloud account. Starts the embedded
// Consul-compatible dev server in-process, plans and applies config-entries/, plans again (no
// changes: the diff is semantic), prints the permissive-mTLS audit, then the strict-mode advisor
// over simulated sidecars and the proposal it would make, and the security posture.
import { parseArgs } from 'node:util';
import { startDevServer } from '../dev-server/server.ts';
import type { CliIo } from './io.ts';
import { applyCommand, planCommand } from './plan-command.ts';
import { auditCommand, renderPostureForDemo } from './audit-command.ts';
import { DEFAULT_DIR } from './render-command.ts';
import { demoAdvisor } from './demo-advisor.ts';

export async function demoCommand(args: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({ args, options: { dir: { type: 'string' }, port: { type: 'string' } } });
  const dir = values.dir ?? DEFAULT_DIR;
  const server = await startDevServer({ port: Number(values.port ?? 0), host: '127.0.0.1' });
  // The demo talks only to its own dev server, whatever the shell's Consul variables say.
  const cenv = { env: {} };
  const flags = ['--consul', server.url, '--dir', dir, '--prune'];
  const step = (title: string) => io.stdout.write(`\n=== ${title}\n\n`);
  try {
    io.stdout.write(`consul-gitops demo: embedded Consul dev server at ${server.url}, desired state in ${dir}/\n`);
    step('1. plan: what Git says against an empty Consul');
    if ((await planCommand(flags, io, cenv)) !== 0) return 1;
    step('2. apply');
    if ((await applyCommand(flags, io, cenv)) !== 0) return 1;
    step('3. plan again: nothing to do');
    const again = await planCommand([...flags, '--detailed-exitcode'], io, cenv);
    if (again !== 0) {
      io.stderr.write('a second plan found changes: the diff is not semantic for some entry\n');
      return 1;
    }
    step('4. audit: how far is the mesh from strict mTLS?');
    await auditCommand(['--consul', server.url], io, cenv);
    step("5. advise: which permissive services can go strict, from their sidecars' plaintext and mTLS counters?");
    const advised = await demoAdvisor(server.url, dir, io);
    if (advised !== 0) return advised;
    step('7. posture: is the mesh production-safe? (the dev server looks like `consul agent -dev`)');
    io.stdout.write(await renderPostureForDemo(server.url));
    return 0;
  } finally {
    await server.close();
  }
}
