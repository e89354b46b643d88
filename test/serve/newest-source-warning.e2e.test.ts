// `serve`'s plan comment on a pull request shows the warning `validate` and `plan` give of a
// service-defaults Protocol the newest Consul source refuses (core/version-check.ts newestSourceWarnings):
// the reviewer sees, before merging, that a target running that source would refuse the write.
import { afterEach, describe, expect, it } from 'vitest';
import { pullRequestOpened } from '../support/github-events.ts';
import { startServeHarness, type ServeHarness } from '../support/serve-harness.ts';

let h: ServeHarness;
afterEach(() => h.close());

describe("serve's plan comment", () => {
  it('warns of a service-defaults Protocol the newest Consul source refuses, with file, line and Consul’s text', async () => {
    h = await startServeHarness({ startServe: false });
    h.github.addCommit({ 'config-entries/web.hcl': 'Kind = "service-defaults"\nName = "web"\nProtocol = "http"\n' }, 'base', { branch: 'master' });
    const number = h.github.addPullRequest({
      head: 'h3',
      files: {
        'config-entries/web.hcl': 'Kind = "service-defaults"\nName = "web"\nProtocol = "http"\n',
        'config-entries/a.hcl': 'Kind = "service-defaults"\nName = "a"\nProtocol = "HTTP3"\n',
      },
    });
    await h.startServe();
    expect(await h.deliver('pull_request', pullRequestOpened(h.github, number, 'h3'))).toBe(202);
    expect(h.github.comments).toHaveLength(1);
    const body = h.github.comments[0].body;
    expect(body).toContain('<code>service-defaults/a</code>: config-entries/a.hcl:3: Protocol: the newest Consul source refuses this write with');
    expect(body).toContain('invalid value for protocol: http3');
  });
});
