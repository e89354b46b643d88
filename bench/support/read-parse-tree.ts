// The tree that bench/read-parse.bench.ts reads: the same mix as the scale bench's plan tree
// (service-defaults in HCL, service-intentions in JSON, service-routers in YAML, a third each, plus
// mesh and proxy-defaults), and the same entries again as plain JSON files, which the floor reads.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** `count` entry files by path (each `i` writes one new file); bench/scale.bench.ts plans and applies the same tree. */
export function readParseFiles(count: number): Record<string, string> {
  const files: Record<string, string> = {
    'mesh.hcl': 'Kind = "mesh"\nAllowEnablingPermissiveMutualTLS = true\n',
    'proxy-defaults.hcl': 'Kind = "proxy-defaults"\nName = "global"\nConfig { protocol = "http" }\n',
  };
  // Counted as written: Object.keys(files).length per file made 50,000 files take minutes.
  for (let i = 0, written = 2; written < count; i++, written++) {
    const svc = `svc-${Math.floor(i / 3)}`;
    if (i % 3 === 0)
      files[`services/${svc}.hcl`] = `Kind = "service-defaults"\nName = "${svc}"\nProtocol = "http"\nMutualTLSMode = "${i % 30 ? 'strict' : 'permissive'}"\n`;
    else if (i % 3 === 1)
      files[`intentions/${svc}.json`] = JSON.stringify(
        { Kind: 'service-intentions', Name: svc, Sources: [{ Name: `svc-${Math.floor(i / 3) + 1}`, Action: 'allow' }] },
        null,
        2,
      );
    else
      files[`routers/${svc}.yaml`] =
        `Kind: service-router\nName: ${svc}\nRoutes:\n  - Match:\n      HTTP:\n        PathPrefix: /v2\n    Destination:\n      Service: ${svc}\n      PrefixRewrite: /\n`;
  }
  return files;
}

/** The same entries as JSON, one file each in the same directories: what the floor reads and `JSON.parse`s. */
export function plainJsonTwin(files: Record<string, string>, entries: readonly { file: string; entry: unknown }[]): Record<string, string> {
  const twin: Record<string, string> = {};
  for (const e of entries) twin[e.file.replace(/\.[a-z]+$/, '.json')] = JSON.stringify(e.entry, null, 2);
  if (Object.keys(twin).length !== Object.keys(files).length) throw new TypeError('every file holds one entry');
  return twin;
}

export function writeFiles(root: string, files: Record<string, string>): void {
  for (const [path, text] of Object.entries(files)) {
    const full = join(root, path);
    mkdirSync(join(full, '..'), { recursive: true });
    writeFileSync(full, text);
  }
}
