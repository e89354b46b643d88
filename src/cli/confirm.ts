// Apply's question to a person at a terminal, as Terraform asks it: only the exact answer `yes`
// goes on; anything else, the end of input, or no answer in time cancels.
import { createInterface } from 'node:readline';
import type { CliIo } from './io.ts';

export type Answer = 'yes' | 'no' | 'closed' | 'timeout';

/**
 * Writes `question` to stdout and reads one line from stdin. `timeoutMs` bounds the wait: apply
 * holds the target's lease while it asks, and must not outlive it.
 */
export function ask(io: CliIo, question: string, timeoutMs: number): Promise<Answer> {
  const input = io.stdin;
  if (!input) return Promise.resolve('closed');
  io.stdout.write(question);
  return new Promise((resolve) => {
    const rl = createInterface({ input, terminal: false });
    let settled = false;
    const done = (a: Answer) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      rl.close();
      resolve(a);
    };
    const timer = setTimeout(() => done('timeout'), timeoutMs);
    timer.unref?.();
    rl.once('line', (line) => done(line.trim() === 'yes' ? 'yes' : 'no'));
    rl.once('close', () => done('closed'));
  });
}
