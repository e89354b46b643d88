// One escaping for Markdown (src/reports/markdown.ts), through the production paths that write to
// GitHub: serve's plan comment on a pull request, and the scheduled posture dashboard and strict-mode PR issue.
// A file name like `_a_b_c_.hcl` is shown as it is, never as emphasis (GitHub emphasises `_..._` at
// a word's edge, not inside a word), and a name holding a bidirectional override (U+202E) is shown
// escaped, `\u202e`, as the terminal shows it: raw, it would show the name's characters reversed.
import { afterEach, describe, expect, it } from 'vitest';
import { startServeHarness, type ServeHarness } from '../support/serve-harness.ts';
import { startServerlessHarness, type ServerlessHarness } from '../support/serverless-harness.ts';
import { trafficDouble } from '../support/traffic-double.ts';

const BIDI = /[\u202a-\u202e\u2066-\u2069]/;

describe("serve's plan comment", () => {
  let h: ServeHarness | undefined;
  afterEach(async () => {
    expect(h?.github.unexpected).toEqual([]);
    await h?.close();
  });

  it('shows a file name with underscores at word edges as text, in the error list and its link', async () => {
    h = await startServeHarness();
    h.github.addCommit({ 'config-entries/README.md': 'mesh\n' }, 'base', { branch: 'master' });
    const { status } = await h.openPullRequest('hostile', {
      'config-entries/_a_b_c_ *d* ~e~.hcl': 'Kind = "service-defaults"\nName = "web"\nBogus = 1\n',
    });
    expect(status).toBe(202);
    const body = h.github.comments[0].body;
    const line = body.split('\n').find((l) => l.startsWith('- ['))!;
    expect(line).toMatch(/^- \[config-entries\/\\_a\\_b\\_c\\_ \\\*d\\\* \\~e\\~\.hcl:3:1\]\(/);
    expect(line).toContain('%20*d*%20~e~.hcl#L3)');
  });
});

describe('the scheduled posture dashboard and strict-mode PR', () => {
  let h: ServerlessHarness | undefined;
  afterEach(async () => {
    expect(h?.github.unexpected).toEqual([]);
    await h?.close();
  });

  it('shows a service name holding a bidirectional override escaped, in the issue and in the title and body of its PR', async () => {
    const name = 'api\u202egnp.exe';
    h = await startServerlessHarness({
      env: { TARGETS_CONFIG: 'targets:\n  - name: dc1\n    dir: config-entries\n    advisor:\n      stats: { envoy: {} }\n' },
      overrides: { trafficSource: () => trafficDouble({ [name]: [{ plaintextPerMinute: 0, handshakesPerMinute: 20 }] }) },
    });
    h.github.addCommit(
      {
        'config-entries/mesh.hcl': 'Kind = "mesh"\nAllowEnablingPermissiveMutualTLS = true\n',
        // A user's file, with a tab the PR's diff shows.
        'config-entries/api.hcl': `Kind = "service-defaults"\nName = "${name}"\nMutualTLSMode\t= "permissive"\n`,
      },
      'onboard',
      { branch: 'master' },
    );
    await h.tick('evt-1');
    const issue = h.github.issues.find((i) => i.title === 'mTLS posture: dc1');
    expect(issue).toBeDefined();
    expect(issue!.body).toContain('api\\u202egnp.exe');
    expect(issue!.body).not.toMatch(BIDI);
    // The strict-mode PR the advisor opened for it: its title is plain text, escaped alike.
    expect(h.github.pulls.map((p) => p.title)).toContain('mTLS: move api\\u202egnp.exe to strict');
    for (const p of h.github.pulls) expect(p.title + p.body).not.toMatch(BIDI);
    // The diff keeps the file's tab as a tab (fenced blocks escape every other control).
    const pr = h.github.pulls[0].body;
    expect(pr).toContain('+MutualTLSMode\t= "strict"');
  });
});
