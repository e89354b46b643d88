// Reads the Envoy sample files captured from Envoy admin endpoints of consul-dataplane sidecars (test/fixtures/envoy).
import { readFileSync } from 'node:fs';

export function envoyFixture(name: string): string {
  return readFileSync(new URL(`../fixtures/envoy/${name}`, import.meta.url), 'utf8');
}
