// JSON-lines logging for `serve`: one object per line with time, level and message. Known secret
// values are masked as a last line of defence (nothing is meant to log them in the first place).

export type LogSink = (line: string) => void;
export type Level = 'info' | 'warn' | 'error';
export type Logger = (level: Level, message: string, fields?: object) => void;

export const REDACTED = '[redacted]';

export function jsonLogger(sink: LogSink, secrets: readonly string[] = [], now: () => Date = () => new Date()): Logger {
  // Longest first, so a secret containing another is masked whole; also their JSON-escaped forms.
  const masks = [...new Set(secrets.filter((s) => s.length >= 6).flatMap((s) => [s, JSON.stringify(s).slice(1, -1)]))].sort((a, b) => b.length - a.length);
  return (level, message, fields = {}) => {
    let line = JSON.stringify({ time: now().toISOString(), level, message, ...fields });
    for (const m of masks) if (line.includes(m)) line = line.split(m).join(REDACTED);
    try {
      sink(line);
    } catch {
      // Logging never takes the server down.
    }
  };
}

export function describeError(error: unknown): { name: string; message: string } {
  return error instanceof Error ? { name: error.name, message: error.message } : { name: 'unknown', message: String(error) };
}
