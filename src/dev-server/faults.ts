// Fault injection for tests of client resilience: fail the next N requests with a status/body, or
// drop them (destroy the socket without any response). Not a Consul feature.
export type FaultSpec = { status?: number; body?: string } | 'drop';

export interface FaultInjector {
  /** The next `count` requests fail as described (default: 500 `injected fault`). */
  failNext(count: number, spec?: FaultSpec): void;
  /** Cancels pending faults. */
  reset(): void;
  /** How many requests will still fail. */
  readonly pending: number;
}

export type Fault = { kind: 'drop' } | { kind: 'status'; status: number; body: string };

export class Faults implements FaultInjector {
  private queue: Fault[] = [];

  failNext(count: number, spec: FaultSpec = {}): void {
    const fault: Fault = spec === 'drop' ? { kind: 'drop' } : { kind: 'status', status: spec.status ?? 500, body: spec.body ?? 'injected fault' };
    for (let i = 0; i < Math.max(0, Math.floor(count)); i++) this.queue.push(fault);
  }

  reset(): void {
    this.queue = [];
  }

  get pending(): number {
    return this.queue.length;
  }

  /** Takes the fault for the current request, if any. */
  take(): Fault | undefined {
    return this.queue.shift();
  }
}
