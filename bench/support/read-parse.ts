// The floor under any plan: read and parse the tree in the working directory, nothing else. Built
// and run as its own process by bench/scale.bench.ts next to a whole `consul-gitops plan`.
import { readLocalFiles } from '../../src/adapters/files/local-files.ts';
import { parseSourceFiles } from '../../src/core/parse-files.ts';

const { files } = await readLocalFiles(['config-entries'], process.cwd());
const parsed = parseSourceFiles(files);
process.stdout.write(String(parsed.entries.length));
