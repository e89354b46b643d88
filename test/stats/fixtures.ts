// Reads the Envoy sample files copied from /work/shared/reference/envoy-samples (see its README).
import { readFileSync } from 'node:fs';

export function envoyFixture(name: string): string {
  return readFileSync(new URL(`../fixtures/envoy/${name}`, import.meta.url), 'utf8');
}
