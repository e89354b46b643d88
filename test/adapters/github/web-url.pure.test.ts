// Links people click go to the GitHub the API URL belongs to: github.com, or a GitHub Enterprise host.
import { describe, expect, it } from 'vitest';
import { githubWebUrl } from '../../../src/adapters/github/octokit.ts';

describe('githubWebUrl', () => {
  it('maps api.github.com to github.com', () => {
    expect(githubWebUrl()).toBe('https://github.com');
    expect(githubWebUrl('https://api.github.com/')).toBe('https://github.com');
  });
  it('maps a GitHub Enterprise Server API root (https://HOST/api/v3) to its web root', () => {
    expect(githubWebUrl('https://ghe.example.com/api/v3')).toBe('https://ghe.example.com');
    expect(githubWebUrl('https://ghe.example.com/api/v3/')).toBe('https://ghe.example.com');
  });
  it('keeps any other root as it is (a local double)', () => {
    expect(githubWebUrl('http://127.0.0.1:4567')).toBe('http://127.0.0.1:4567');
  });
});
