import { describe, expect, it } from 'vitest';
import { EnvFileError, parseEnvFile, ServeConfigError, serveSettings } from '../../src/serve/settings.ts';

const base = { GITHUB_WEBHOOK_SECRET: 'whsec-value-123', GITHUB_TOKEN: 'ghp_tokenvalue123', GITHUB_REPOSITORY: 'acme/mesh' };

describe('serveSettings', () => {
  it('defaults: 15 minute schedule, 30 s stop timeout, main, config-entries', () => {
    const s = serveSettings(base);
    expect(s).toMatchObject({
      webhookSecret: { webhookSecret: 'whsec-value-123', secretMaxAge: 300 },
      scheduleIntervalMs: 15 * 60_000,
      stopTimeoutMs: 30_000,
      deliveryMemory: 1000,
      route: { branch: 'main', configDir: 'config-entries' },
    });
    expect(s.runtime.targets.targets.map((t) => t.name)).toEqual(['default']);
  });

  it('reads Go durations; 0 turns the schedule off', () => {
    expect(serveSettings({ ...base, SCHEDULE_INTERVAL: '1h30m' }).scheduleIntervalMs).toBe(90 * 60_000);
    expect(serveSettings({ ...base, SCHEDULE_INTERVAL: '0' }).scheduleIntervalMs).toBe(0);
    expect(serveSettings({ ...base, SCHEDULE_INTERVAL: '' }).scheduleIntervalMs).toBe(15 * 60_000);
  });

  it('names every bad variable and never echoes a value', () => {
    const env = {
      GITHUB_TOKEN: '',
      SCHEDULE_INTERVAL: 'every-5-minutes',
      GITHUB_REPOSITORY: 'not-a-repo-secretish',
      GITHUB_API_URL: 'ftp-nope-value',
      PRUNE: 'perhaps-value',
    };
    let error: unknown;
    try {
      serveSettings(env);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ServeConfigError);
    const message = (error as Error).message;
    for (const name of ['GITHUB_WEBHOOK_SECRET', 'SCHEDULE_INTERVAL', 'GITHUB_REPOSITORY', 'GITHUB_API_URL', 'GITHUB_TOKEN', 'PRUNE'])
      expect(message).toContain(name);
    for (const value of Object.values(env).filter(Boolean)) expect(message).not.toContain(value);
  });

  it('accepts GitHub App credentials instead of a token', () => {
    const { GITHUB_TOKEN: _, ...noToken } = base;
    expect(() => serveSettings(noToken)).toThrow(/GITHUB_TOKEN/);
    expect(() => serveSettings({ ...noToken, GITHUB_APP_ID: '1', GITHUB_APP_INSTALLATION_ID: '2', GITHUB_APP_PRIVATE_KEY: 'pem' })).not.toThrow();
  });
});

describe('parseEnvFile', () => {
  it('reads KEY=VALUE lines, comments, export, quotes and multi-line values', () => {
    const text = [
      '# secrets',
      '',
      'GITHUB_WEBHOOK_SECRET=plain value # comment',
      'export GITHUB_TOKEN="ghp_abc#not-a-comment"',
      "SINGLE='lit\\n eral'",
      'ESCAPED="a\\nb \\"q\\""',
      'GITHUB_APP_PRIVATE_KEY="-----BEGIN RSA PRIVATE KEY-----',
      'MIIB',
      '-----END RSA PRIVATE KEY-----"',
      'EMPTY=',
      'SPACED = x ',
    ].join('\r\n');
    expect(parseEnvFile(text)).toEqual({
      GITHUB_WEBHOOK_SECRET: 'plain value',
      GITHUB_TOKEN: 'ghp_abc#not-a-comment',
      SINGLE: 'lit\\n eral',
      ESCAPED: 'a\nb "q"',
      GITHUB_APP_PRIVATE_KEY: '-----BEGIN RSA PRIVATE KEY-----\nMIIB\n-----END RSA PRIVATE KEY-----',
      EMPTY: '',
      SPACED: 'x',
    });
  });

  it('reports the line number, never the line', () => {
    expect(() => parseEnvFile('A=1\nthis line has the-secret-value\n', 'serve.env')).toThrow(new EnvFileError('serve.env line 2: expected KEY=VALUE'));
    expect(() => parseEnvFile('A="never closed-secret\nB=2\n')).toThrow(/line 1: unterminated double quote/);
  });
});
