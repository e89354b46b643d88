// The shared logger (src/runtime/logger.ts): Powertools JSON lines with Lambda's level names, the
// LOG_LEVEL threshold, a correlation id per delivery, and known secrets masked wherever they occur.
import { describe, expect, it } from 'vitest';
import { createLog } from '../../src/runtime/logger.ts';

function capture(options: Parameters<typeof createLog>[0] = {}) {
  const lines: string[] = [];
  const log = createLog({ ...options, sink: (l) => lines.push(l) });
  return { log, lines, parsed: () => lines.map((l) => JSON.parse(l) as Record<string, unknown>) };
}

describe('createLog', () => {
  it('writes one JSON object per line with level, message, timestamp, service and the fields', () => {
    const { log, lines, parsed } = capture();
    log('warn', 'Reconcile finished', { target: 'dc1', ok: false });
    expect(lines).toHaveLength(1);
    expect(parsed()[0]).toMatchObject({ level: 'WARN', message: 'Reconcile finished', service: 'consul-gitops', target: 'dc1', ok: false });
    expect(Date.parse(parsed()[0].timestamp as string)).not.toBeNaN();
  });

  it('masks secret values, also JSON-escaped and inside nested fields and messages', () => {
    const { log, lines } = capture({ secrets: ['ghp_tokenvalue123', 'It\'s "quoted"', 'short'] });
    log('error', 'GitHub said no to ghp_tokenvalue123', { error: { message: 'bad credentials ghp_tokenvalue123' }, echo: 'It\'s "quoted"', word: 'short' });
    expect(lines[0]).not.toContain('ghp_tokenvalue123');
    expect(lines[0]).not.toContain('quoted');
    expect(JSON.parse(lines[0])).toMatchObject({
      message: 'GitHub said no to [redacted]',
      error: { message: 'bad credentials [redacted]' },
      echo: '[redacted]',
      word: 'short',
    });
  });

  it('logs from LOG_LEVEL up (case-insensitive), INFO by default', () => {
    const quiet = capture({ level: 'WARN' });
    for (const level of ['debug', 'info', 'warn', 'error'] as const) quiet.log(level, level);
    expect(quiet.parsed().map((l) => l.level)).toEqual(['WARN', 'ERROR']);
    const loud = capture({ level: 'debug' });
    loud.log('debug', 'details');
    expect(loud.parsed().map((l) => l.level)).toEqual(['DEBUG']);
    const normal = capture();
    normal.log('debug', 'details');
    expect(normal.lines).toEqual([]);
  });

  it('carries a correlation id on every line of one delivery, and only there; masking and level stay', () => {
    const { log, parsed } = capture({ secrets: ['ghp_tokenvalue123'], level: 'warn' });
    const delivery = log.withCorrelationId('72d3162e-cc78-11e3-81ab-4c9367dc0958');
    delivery('info', 'dropped below the level');
    delivery('error', 'failed with ghp_tokenvalue123');
    log('error', 'unrelated');
    expect(parsed()).toEqual([
      expect.objectContaining({ message: 'failed with [redacted]', correlation_id: '72d3162e-cc78-11e3-81ab-4c9367dc0958' }),
      expect.not.objectContaining({ correlation_id: expect.anything() }),
    ]);
  });
});
