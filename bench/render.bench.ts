// npm run bench: render a generated tree of 10,000 entry files (HCL, JSON, CRD YAML) and compare
// its CPU time with a baseline measured in the same run: the same files through HashiCorp's own
// HCL1 parser (js-hcl-parser, GopherJS) plus `yaml` and JSON.parse, parsing only.
import { createRequire } from 'node:module';
import { parse as parseYamlBaseline } from 'yaml';
import { renderTree } from '../src/core/render.ts';
import type { SourceFile } from '../src/core/parse-files.ts';

const COUNT = Number(process.env.BENCH_FILES ?? 10_000);

function generateTree(count: number): SourceFile[] {
  const files: SourceFile[] = [
    { path: 'mesh.hcl', text: 'Kind = "mesh"\nAllowEnablingPermissiveMutualTLS = true\nTransparentProxy { MeshDestinationsOnly = false }\n' },
  ];
  for (let i = 1; i < count; i++) {
    const name = `svc-${i}`;
    switch (i % 3) {
      case 0:
        files.push({
          path: `service-defaults/${name}.hcl`,
          text: `Kind = "service-defaults"\nName = "${name}"\nProtocol = "http"\nMutualTLSMode = "${i % 7 ? 'strict' : 'permissive'}"\nmeta {\n  "team" = "t${i % 10}"\n}\nUpstreamConfig {\n  Defaults {\n    ConnectTimeoutMs = 5000\n    PassiveHealthCheck { Interval = "10s"\n MaxFailures = 3 }\n  }\n}\n`,
        });
        break;
      case 1:
        files.push({
          path: `service-intentions/${name}.json`,
          text: JSON.stringify(
            {
              Kind: 'service-intentions',
              Name: name,
              Sources: [
                { Name: `svc-${i - 1}`, Action: 'allow' },
                { Name: '*', Action: 'deny' },
              ],
            },
            null,
            2,
          ),
        });
        break;
      default:
        files.push({
          path: `service-defaults/${name}.yaml`,
          text: `apiVersion: consul.hashicorp.com/v1alpha1\nkind: ServiceDefaults\nmetadata:\n  name: ${name}\nspec:\n  protocol: grpc\n  mutualTLSMode: strict\n  transparentProxy:\n    outboundListenerPort: 15001\n`,
        });
    }
  }
  return files;
}

function cpuMs(fn: () => void): number {
  const start = process.cpuUsage();
  fn();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
}

function loadOracle(): (text: string) => unknown {
  // The GopherJS build replaces the global `require`; keep ours.
  const saved = (globalThis as { require?: unknown }).require;
  const hcl = createRequire(import.meta.url)('js-hcl-parser') as { parse(text: string): string };
  (globalThis as { require?: unknown }).require = saved;
  return (text) => JSON.parse(hcl.parse(text));
}

const files = generateTree(COUNT);
const oracle = loadOracle();
const baseline = () => {
  for (const f of files) {
    if (f.path.endsWith('.hcl')) oracle(f.text);
    else if (f.path.endsWith('.json')) JSON.parse(f.text);
    else parseYamlBaseline(f.text);
  }
};
let rendered = 0;
const ours = () => {
  const tree = renderTree(files);
  if (tree.decodeErrors.length || tree.validationErrors.length)
    throw new Error(`bench tree has errors: ${JSON.stringify(tree.decodeErrors[0] ?? tree.validationErrors[0])}`);
  rendered = tree.entries.length;
};
// One warm-up each so JIT compilation is not billed to either side.
baseline();
ours();
const best = (fn: () => void) => Math.min(cpuMs(fn), cpuMs(fn), cpuMs(fn));
const baseMs = best(baseline);
const oursMs = best(ours);
const heapMb = process.memoryUsage().heapUsed / 2 ** 20;
console.log(`render ${files.length} files (${rendered} entries, HCL/JSON/CRD YAML mixed)`);
console.log(`  consul-gitops render (parse+decode+normalize+validate): ${oursMs.toFixed(0)} ms CPU`);
console.log(`  baseline js-hcl-parser + yaml + JSON.parse (parse only): ${baseMs.toFixed(0)} ms CPU`);
console.log(`  ratio ours/baseline: ${(oursMs / baseMs).toFixed(2)}x   target: under 1000 ms CPU -> ${oursMs < 1000 ? 'met' : 'MISSED'}`);
console.log(`  heap after run: ${heapMb.toFixed(0)} MiB`);
