// The streams a command writes to, injected so tests can run commands in-process; and the process's
// own streams, guarded so a reader that goes away early (`render | head -1`) ends output quietly,
// and masked so no secret the run loaded (src/known-secrets.ts) is ever printed.
import { knownSecrets, MIN_MASKED_LENGTH, type KnownSecrets } from '../known-secrets.ts';

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

/**
 * `io` with every write masked through the registry: the one output path of a command (errors,
 * warnings, plans, --json), so a token a careless Consul or gateway quotes back in any form (raw,
 * JSON-escaped, URL-encoded) prints as `[redacted]`. The registry compiles its forms into one regex,
 * recompiled only when a secret is added. A secret too short to mask is said once on stderr, by the
 * first write after it was loaded (or by `noticeShortSecrets` when the command ends).
 */
export function maskedIo(io: CliIo, secrets: KnownSecrets = knownSecrets): CliIo & { noticeShortSecrets(): void } {
  const noticed = new Set<string>();
  let seen = -1;
  const noticeShortSecrets = () => {
    if (seen === secrets.version) return;
    seen = secrets.version;
    for (const from of secrets.tooShortNotYetTold(noticed)) {
      io.stderr.write(`notice: a secret (${from}) is shorter than ${MIN_MASKED_LENGTH} characters: it cannot be masked in output; use a longer one\n`);
    }
  };
  const masked = (stream: Writer): Writer => ({
    write(s: string) {
      noticeShortSecrets();
      return stream.write(secrets.mask(s));
    },
    get isTTY() {
      return stream.isTTY;
    },
  });
  return { ...io, stdout: masked(io.stdout), stderr: masked(io.stderr), noticeShortSecrets };
}
