// The one logger of the Lambda functions and `serve`: Powertools Logger, one JSON object per line
// with `level` (DEBUG, INFO, WARN, ERROR: the levels Lambda's JSON log format filters on), `message`,
// `timestamp`, `service`, and `correlation_id` for everything done for one delivery. LOG_LEVEL sets
// the threshold (Lambda's own AWS_LAMBDA_LOG_LEVEL wins when set, as Powertools documents); a
// LOG_LEVEL that is not a level means INFO and one WARN line saying so, in every function and `serve`.
// Known secret values are masked in the finished line as a last line of defence: nothing is meant
// to log them in the first place.
import { Logger, type LogItem } from '@aws-lambda-powertools/logger';
import { ConsulGitopsError, TargetsFailedError, type ErrorCode } from '../errors.ts';
import { formatWarning, LOG_LEVEL, readEnvironment } from '../config/environment.ts';

export type Level = 'debug' | 'info' | 'warn' | 'error';
export const LEVELS: readonly Level[] = ['debug', 'info', 'warn', 'error'];

/** What callers log through: a level, a message in the user's words, fields. */
export interface Log {
  (level: Level, message: string, fields?: object): void;
  /** The same log with `correlation_id` on every line (a GitHub delivery id, a schedule event id). */
  withCorrelationId(id: string): Log;
}

export type LogSink = (line: string) => void;

export const REDACTED = '[redacted]';
export const SERVICE_NAME = 'consul-gitops';

export interface LogOptions {
  /** Receives each finished line (default: stdout, read by Lambda and by whatever runs `serve`). */
  sink?: LogSink;
  /** Values masked wherever they appear, also in their JSON-escaped form; shorter than 6 characters are ignored. */
  secrets?: readonly string[];
  /** LOG_LEVEL (case-insensitive); default INFO. */
  level?: string;
}

/** Powertools Logger whose lines go to a sink, masked. Children (createChild) keep both. */
class MaskingLogger extends Logger {
  constructor(
    private readonly sink: LogSink,
    private readonly masks: readonly string[],
    options: ConstructorParameters<typeof Logger>[0],
  ) {
    super(options);
  }

  protected override createLogger(options?: ConstructorParameters<typeof Logger>[0]): Logger {
    return new MaskingLogger(this.sink, this.masks, options);
  }

  protected override printLog(_level: number, log: LogItem): void {
    log.prepareForPrint();
    let line = JSON.stringify(log.getAttributes(), this.getJsonReplacer());
    for (const m of this.masks) if (line.includes(m)) line = line.split(m).join(REDACTED);
    try {
      this.sink(line);
    } catch {
      // Logging never takes the process down.
    }
  }
}

export function createLog(options: LogOptions = {}): Log {
  // Longest first, so a secret containing another is masked whole.
  const masks = [...new Set((options.secrets ?? []).filter((s) => s.length >= 6).flatMap((s) => [s, JSON.stringify(s).slice(1, -1)]))].sort(
    (a, b) => b.length - a.length,
  );
  const level = (options.level ?? 'INFO').toUpperCase();
  const logger = new MaskingLogger(options.sink ?? ((line) => process.stdout.write(`${line}\n`)), masks, {
    serviceName: SERVICE_NAME,
    logLevel: (LEVELS.includes(level.toLowerCase() as Level) ? level : 'INFO') as 'INFO',
  });
  return wrap(logger);
}

function wrap(logger: Logger): Log {
  const log = ((level: Level, message: string, fields: object = {}) => logger[level](message, { ...fields })) as Log;
  log.withCorrelationId = (id) => wrap(logger.createChild({ persistentKeys: { correlation_id: id } }));
  return log;
}

/** Values worth keeping out of logs: every variable whose name says it holds a credential. */
export function secretValues(env: Readonly<Record<string, string | undefined>>): string[] {
  return Object.entries(env)
    .filter(([k, v]) => v && v.length >= 6 && /TOKEN|SECRET|PRIVATE_KEY|PASSWORD|CREDENTIAL/i.test(k))
    .map(([, v]) => v!);
}

/**
 * The log of one Lambda function or `serve`: LOG_LEVEL and the credentials' values from its
 * environment. A malformed LOG_LEVEL is logged once, as a WARN, when the log is made (a Lambda's
 * init, serve's start) and the log runs at INFO.
 */
export function logFromEnv(env: Readonly<Record<string, string | undefined>>, sink?: LogSink): Log {
  const read = readEnvironment(env, { level: LOG_LEVEL });
  // LOG_LEVEL is lenient: reading it never fails.
  const { level, warnings } = read.ok ? { level: read.values.level, warnings: read.warnings } : { level: 'info' as const, warnings: [] };
  const log = createLog({ ...(sink ? { sink } : {}), secrets: secretValues(env), level });
  for (const w of warnings) log('warn', formatWarning(w), { variable: w.variable, using: w.used });
  return log;
}

export function describeError(error: unknown): { name: string; message: string; code?: ErrorCode; targets?: TargetsFailedError['targets'] } {
  if (!(error instanceof Error)) return { name: 'unknown', message: String(error) };
  // The code is what alarms and log queries select on; several failed targets keep each one's.
  const code = error instanceof ConsulGitopsError ? { code: error.code } : {};
  return { name: error.name, message: error.message, ...code, ...(error instanceof TargetsFailedError ? { targets: error.targets } : {}) };
}

/** Writes a use case's log line (accept-delivery's `LogLine`), its error as name and message only. */
export function writeLogLine(log: Log, line: { level: Level; message: string; fields: Record<string, unknown>; error?: unknown }): void {
  log(line.level, line.message, line.error === undefined ? line.fields : { ...line.fields, error: describeError(line.error) });
}
