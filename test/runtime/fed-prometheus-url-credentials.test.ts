// createTrafficSource, the factory `advise`, serve and the Lambda build their stats source with:
// a user and password written in `--stats prometheus=https://user:pw@host` lose to credentials the
// environment (or the config) supplies. That used to happen silently; now the factory's `warn`
// hears it (the CLI writes it to stderr), naming what is sent instead and never the password.
import { describe, expect, it } from 'vitest';
import { ConsulClient } from '../../src/adapters/consul/client.ts';
import { ConsulKvStateStore } from '../../src/adapters/consul/stores.ts';
import { createTrafficSource } from '../../src/runtime/traffic-source.ts';

const PASSWORD = 'url-pw-3c9e71';
const consul = new ConsulClient({ address: 'http://127.0.0.1:1' });

function build(env: Record<string, string>, url = `http://alice:${PASSWORD}@127.0.0.1:9/`): string[] {
  const notices: string[] = [];
  createTrafficSource({
    flag: `prometheus=${url}`,
    consul,
    state: new ConsulKvStateStore(consul),
    stateKeyPrefix: 'consul-gitops/state',
    target: 't',
    env,
    warn: (line) => notices.push(line),
  });
  return notices;
}

describe('credentials in the Prometheus URL that others supersede', () => {
  it('PROMETHEUS_USERNAME and PROMETHEUS_PASSWORD set: says the URL’s are not used, without the password', () => {
    const notices = build({ PROMETHEUS_USERNAME: 'bob', PROMETHEUS_PASSWORD: 'env-pw-58ab' });
    expect(notices).toEqual([
      'the user name and password in the Prometheus URL are not used: PROMETHEUS_USERNAME and PROMETHEUS_PASSWORD are set, and they are what is sent',
    ]);
    expect(notices.join('\n')).not.toContain(PASSWORD);
  });

  it('a bearer token set: names it', () => {
    expect(build({ PROMETHEUS_BEARER_TOKEN: 'tok-1f0e' })).toEqual([
      'the user name and password in the Prometheus URL are not used: PROMETHEUS_BEARER_TOKEN is set, and it is what is sent',
    ]);
  });

  it('nothing else set, or no credentials in the URL: no notice (a pin)', () => {
    expect(build({})).toEqual([]);
    expect(build({ PROMETHEUS_USERNAME: 'bob', PROMETHEUS_PASSWORD: 'env-pw-58ab' }, 'http://127.0.0.1:9/')).toEqual([]);
  });
});
