// The PR chart: permissive (plaintext) vs mTLS connections over the evidence window as a Mermaid
// `xychart-beta` block, which GitHub renders. One x label per bucket, kept short.
import type { PermissiveTrafficEvidence } from '../core/advisor/model.ts';
import { fence } from './markdown.ts';

/** `11-30 14:00` for windows over a day, `14:05` inside one. */
function label(ms: number, spanMs: number): string {
  const iso = new Date(ms).toISOString();
  return spanMs > 24 * 3600_000 ? `${iso.slice(5, 10)} ${iso.slice(11, 16)}` : iso.slice(11, 16);
}

/** Undefined when the evidence has no timeline to draw. */
export function timelineChart(title: string, evidence: PermissiveTrafficEvidence): string | undefined {
  const buckets = evidence.timeline.slice(0, 60);
  if (buckets.length === 0) return undefined;
  const span = evidence.window.end - evidence.window.start;
  const safeTitle = title.replace(/["\r\n]/g, '');
  const top = Math.max(1, ...buckets.map((b) => Math.max(b.permissiveConnections, b.mtlsConnections)));
  const lines = [
    'xychart-beta',
    `  title "${safeTitle}"`,
    `  x-axis [${buckets.map((b) => `"${label(b.start, span)}"`).join(', ')}]`,
    `  y-axis "connections" 0 --> ${Math.ceil(top * 1.1)}`,
    `  line [${buckets.map((b) => Math.round(b.permissiveConnections)).join(', ')}]`,
    `  line [${buckets.map((b) => Math.round(b.mtlsConnections)).join(', ')}]`,
  ];
  return `${fence('mermaid', lines.join('\n'))}\n\nFirst line: plaintext connections on the permissive listener; second line: mTLS connections (handshakes, or HTTP requests when the service has no handshake series), per bucket, summed over instances.`;
}
