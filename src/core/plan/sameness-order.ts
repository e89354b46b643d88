// sameness-order: the order in which a plan's sameness-group writes pass Consul's member check one
// at a time. Consul Enterprise checks each write against the groups stored at that moment
// (agent/consul/state/config_entry.go validateProposedConfigEntryInGraph, `case structs.SamenessGroup`):
// a group that gains a peer or partition is refused while the group that gives it up still lists it.
// So the write (or delete) that gives a member up runs before the write that gains it; a chain runs
// link by link; groups that exchange members (a cycle) have no such order and are named here, so
// the plan stops before any write.
import { fieldText } from '../../model/field-text.ts';
import type { Change } from './plan.ts';

/** One member moving from the group that gives it up (`from`) to the one that gains it (`to`). */
export interface MemberMove {
  from: Change;
  to: Change;
  /** `cluster peer "dc2"` or `partition "team-a"`, as Consul's refusal names it. */
  member: string;
}

/** Groups whose moves form a cycle: each gains a member the next gives up, so no write can be first. */
export interface MemberCycle {
  /** The moves around the cycle, each `to` the next one's `from`. */
  moves: MemberMove[];
}

const isGroupWrite = (c: Change) => c.id.kind === 'sameness-group' && (c.action === 'create' || c.action === 'update' || c.action === 'delete');

/** The partition of a group, lower-cased: Consul compares the groups of one partition only. */
function partitionOf(c: Change): string {
  const e: Record<string, unknown> = c.after ?? c.before ?? {};
  return (fieldText(e.Partition) || c.id.partition || 'default').toLowerCase();
}

/**
 * A group's members as Consul counts them: a member with a Peer is that peer, any other its
 * Partition (even empty); IncludeLocal adds the group's own partition. Keyed `peer\0name` or
 * `partition\0name`, with the text Consul's refusal gives.
 */
function membersOf(e: Record<string, unknown> | undefined, partition: string): Map<string, string> {
  const out = new Map<string, string>();
  if (!e) return out;
  if (e.IncludeLocal === true) out.set(`partition\0${partition}`, `partition ${JSON.stringify(partition)}`);
  const listed = Array.isArray(e.Members) ? (e.Members as unknown[]) : [];
  for (const m of listed) {
    const member = (m ?? {}) as Record<string, unknown>;
    const peer = fieldText(member.Peer);
    const name = peer || fieldText(member.Partition);
    out.set(`${peer ? 'peer' : 'partition'}\0${name}`, `${peer ? 'cluster peer' : 'partition'} ${JSON.stringify(name)}`);
  }
  return out;
}

/** Every member one of the plan's sameness-group writes gains from another that gives it up. */
export function memberMoves(changes: readonly Change[]): MemberMove[] {
  const groups = changes.filter(isGroupWrite);
  if (groups.length < 2) return [];
  // Per partition and member: the change that gives it up (it is live there and not written back).
  const givenUp = new Map<string, Change>();
  const gained: { change: Change; key: string; text: string }[] = [];
  for (const c of groups) {
    const partition = partitionOf(c);
    // The group's own partition as Consul names it (IncludeLocal): the entry's spelling, else the id's.
    const own = fieldText(((c.after ?? c.before ?? {}) as Record<string, unknown>).Partition) || c.id.partition || 'default';
    const before = membersOf(c.before, own);
    const after = c.action === 'delete' ? new Map<string, string>() : membersOf(c.after, own);
    for (const k of before.keys()) if (!after.has(k)) givenUp.set(`${partition}\0${k}`, c);
    for (const [k, text] of after) if (!before.has(k)) gained.push({ change: c, key: `${partition}\0${k}`, text });
  }
  const moves: MemberMove[] = [];
  for (const g of gained) {
    const from = givenUp.get(g.key);
    if (from && from !== g.change) moves.push({ from, to: g.change, member: g.text });
  }
  return moves;
}

/** The cycles among the moves (groups exchanging members), each once. */
export function memberCycles(moves: readonly MemberMove[]): MemberCycle[] {
  const out = new Map<Change, MemberMove[]>();
  for (const m of moves) {
    const list = out.get(m.from);
    if (list) list.push(m);
    else out.set(m.from, [m]);
  }
  const cycles: MemberCycle[] = [];
  const state = new Map<Change, 'open' | 'done'>();
  // A depth-first walk with a stack of its own, not recursion: a chain of 10,000 moves overflowed
  // the call stack. `path` holds the move into each frame but the first, as the recursion's did.
  const path: MemberMove[] = [];
  const stack: { change: Change; moves: MemberMove[]; next: number }[] = [];
  const enter = (c: Change) => {
    state.set(c, 'open');
    stack.push({ change: c, moves: out.get(c) ?? [], next: 0 });
  };
  for (const root of out.keys()) {
    if (state.has(root)) continue;
    enter(root);
    while (stack.length) {
      const frame = stack[stack.length - 1];
      if (frame.next === frame.moves.length) {
        state.set(frame.change, 'done');
        stack.pop();
        if (stack.length) path.pop();
        continue;
      }
      const m = frame.moves[frame.next++];
      const seen = state.get(m.to);
      if (seen === 'open') {
        // The moves from where the path reached m.to, plus this one, close the cycle.
        const start = path.findIndex((p) => p.from === m.to);
        cycles.push({ moves: [...(start >= 0 ? path.slice(start) : []), m] });
      } else if (seen === undefined) {
        path.push(m);
        enter(m.to);
      }
    }
  }
  return cycles;
}

/**
 * Waves for the sameness-group changes that give up or gain a member: each after every change it
 * gains a member from. They stay within the kind's wave (`base` plus a fraction), before anything
 * of a later kind; a delete that gives a member up moves there from the deletes after the writes.
 * Returns the new wave of each such change; a change on a cycle keeps its own (the plan is refused).
 */
export function samenessWaves(changes: readonly Change[], base: number): Map<Change, number> {
  const moves = memberMoves(changes);
  const waves = new Map<Change, number>();
  if (!moves.length) return waves;
  const onCycle = new Set(memberCycles(moves).flatMap((c) => c.moves.map((m) => m.from)));
  const sources = new Map<Change, Change[]>();
  for (const m of moves) {
    if (!sources.has(m.from)) sources.set(m.from, []);
    const list = sources.get(m.to);
    if (list) list.push(m.from);
    else sources.set(m.to, [m.from]);
  }
  // The longest chain of gives-up before each change: its step in the kind's wave. Known depths are
  // kept; one still being worked out counts 0 (only a cycle reaches it, and cycles are left out).
  const depth = new Map<Change, number>();
  const depthOf = (c: Change): number => longestChain(c, depth, (x) => (sources.get(x) ?? []).filter((s) => !onCycle.has(s)));
  let deepest = 0;
  for (const c of sources.keys()) if (!onCycle.has(c)) deepest = Math.max(deepest, depthOf(c));
  for (const c of sources.keys()) if (!onCycle.has(c)) waves.set(c, base + depthOf(c) / (deepest + 1));
  return waves;
}

/**
 * The longest chain of `sourcesOf` links ending at `c` (0 with none), each change's kept in `depth`.
 * A stack of its own, not recursion: a chain of 10,000 moves overflowed the call stack. A change
 * met again while its own depth is still being worked out counts 0, as its provisional depth.
 */
function longestChain(c: Change, depth: Map<Change, number>, sourcesOf: (c: Change) => Change[]): number {
  const known = depth.get(c);
  if (known !== undefined) return known;
  const stack: { change: Change; sources: Change[]; next: number; d: number }[] = [];
  const enter = (x: Change) => {
    depth.set(x, 0);
    stack.push({ change: x, sources: sourcesOf(x), next: 0, d: 0 });
  };
  enter(c);
  let result = 0;
  while (stack.length) {
    const frame = stack[stack.length - 1];
    if (frame.next < frame.sources.length) {
      const s = frame.sources[frame.next++];
      const d = depth.get(s);
      if (d === undefined) enter(s);
      else frame.d = Math.max(frame.d, d + 1);
      continue;
    }
    depth.set(frame.change, frame.d);
    stack.pop();
    result = frame.d;
    if (stack.length) stack[stack.length - 1].d = Math.max(stack[stack.length - 1].d, frame.d + 1);
  }
  return result;
}

/** A change the plan cannot make in any order, with what to write in its file and why. */
export interface MemberCycleProblem {
  change: Change;
  field: string;
  message: string;
  hint: string;
}

/**
 * Groups exchanging members, as one problem at each group that gains one: Consul refuses every
 * write that leaves a member in two groups, and the plan writes each group once, so none can go
 * first. Two applies can: first the one group without the member it gains (it only gives up), then with it.
 */
export function memberCycleProblems(changes: readonly Change[]): MemberCycleProblem[] {
  const moves = memberMoves(changes);
  if (!moves.length) return [];
  const name = (c: Change) => JSON.stringify(c.id.name);
  return memberCycles(moves).flatMap(({ moves: cycle }) => {
    const names = cycle.map((m) => name(m.from)).sort();
    const groups = `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
    const what = cycle.map((m) => `${m.member} moves from ${name(m.from)} to ${name(m.to)}`).join(', ');
    const message =
      `sameness groups ${groups} exchange members (${what}): Consul checks each write against the groups stored at that moment ` +
      'and refuses a member in two groups, so no order of these writes is accepted; nothing was written';
    const first = cycle[0];
    const hint = `apply it in two steps: first without ${first.member} in group ${name(first.to)} (so ${name(first.from)} gives it up), then add it there`;
    return cycle.map((m) => ({ change: m.to, field: 'Members', message, hint }));
  });
}
