// The streams a command writes to, injected so tests can run commands in-process; and the process's
// own streams, guarded so a reader that goes away early (`render | head -1`) ends output quietly.
export interface CliIo {
  stdout: { write(s: string): unknown; isTTY?: boolean };
  stderr: { write(s: string): unknown; isTTY?: boolean };
  /** Where answers come from (apply's confirmation); absent: nobody to ask. */
  stdin?: NodeJS.ReadableStream & { isTTY?: boolean };
  cwd?: string;
}

type Writer = CliIo['stdout'];

/**
 * A process stream whose reader may close early. Node ignores SIGPIPE, so a write to a closed pipe
 * fails with EPIPE as an 'error' event, which crashes the process with a stack trace when nobody
 * listens. Here EPIPE marks the stream closed and later writes are dropped: the command itself runs
 * to its end and its exit code stands (an `apply | head -1` must not stop half-way through a wave
 * because nobody reads its report any more). Any other stream error is rethrown.
 */
export function guardStream(stream: NodeJS.WriteStream): Writer {
  let closed = false;
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE' || error.code === 'ERR_STREAM_DESTROYED') {
      closed = true;
      return;
    }
    throw error;
  });
  return {
    write(s: string) {
      if (closed) return false;
      return stream.write(s);
    },
    get isTTY() {
      return stream.isTTY;
    },
  };
}

/** The process's stdout and stderr for `main`, each guarded against a reader that left. */
export function processIo(): CliIo {
  return { stdout: guardStream(process.stdout), stderr: guardStream(process.stderr), stdin: process.stdin };
}
