import type { StoredItem } from '@macaron/core';

/** What one key may hold: an item, or `undefined` for no item. */
export type State = StoredItem | undefined;

/** A state as text, property order aside: states are compared by this. */
export function canonical(state: State): string {
  if (state === undefined) return 'absent';
  return JSON.stringify(
    Object.fromEntries(Object.entries(state).sort(([a], [b]) => (a < b ? -1 : 1))),
  );
}

/**
 * What the store may hold per key, given what each call answered: a set of states. A call
 * whose outcome is unknown adds states; a definite answer narrows them.
 */
export class PossibleStates {
  private readonly states = new Map<string, Map<string, State>>();

  possible(key: string): State[] {
    return [...(this.states.get(key) ?? new Map([['absent', undefined]])).values()];
  }

  set(key: string, states: State[]): void {
    this.states.set(key, new Map(states.map((state) => [canonical(state), state])));
  }

  allows(key: string, state: State): boolean {
    return this.possible(key).some((candidate) => canonical(candidate) === canonical(state));
  }
}
