// Preloaded (`node --import`) into a dev server child process: the Nth time it writes its state's
// temp file (CRASH_ON_SAVE=N), the process is killed, as a power cut between a write and its save.
import fs from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';

const crashOn = Number(process.env.CRASH_ON_SAVE ?? '0');
let saves = 0;
const writeFileSync = fs.writeFileSync;
fs.writeFileSync = (path, ...rest) => {
  if (String(path).endsWith('.tmp') && ++saves === crashOn) process.kill(process.pid, 'SIGKILL');
  return writeFileSync(path, ...rest);
};
syncBuiltinESMExports();
