// The streams a command writes to, injected so tests can run commands in-process.
export interface CliIo {
  stdout: { write(s: string): unknown; isTTY?: boolean };
  stderr: { write(s: string): unknown; isTTY?: boolean };
  cwd?: string;
}
