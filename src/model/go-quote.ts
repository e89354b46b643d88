// Go's %q for ordinary strings, as Consul's error texts quote names (fmt.Errorf("... %q ...")).

export function goQuote(s: string): string {
  return JSON.stringify(s)
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}
