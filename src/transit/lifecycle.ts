/**
 * The trip lifecycle as a transition table (DOMAIN.md). Pure: `nextState` either names the target
 * state or throws a 409 with a stable code, and never touches storage.
 */
import { conflict } from '../platform/errors.ts';
import type { Role } from '../platform/auth/principal.ts';

export const TRIP_STATES = [
  'draft', 'submitted', 'accepted', 'sealed', 'in_transit', 'at_boundary', 'handed_over', 'arrived', 'unsealed', 'closed',
  'inspection', 'held', 'suspended', 'overdue', 'cancelled',
] as const;
export type TripState = (typeof TRIP_STATES)[number];
export const TERMINAL_STATES: readonly TripState[] = ['closed', 'cancelled'];
/** Side states remember where they came from and `resume` returns there. */
export const SIDE_STATES: readonly TripState[] = ['inspection', 'held', 'suspended'];

export type TripAction =
  | 'submit' | 'accept' | 'seal' | 'depart' | 'arrive_boundary' | 'handover' | 'arrive' | 'unseal' | 'close'
  | 'inspect' | 'hold' | 'suspend' | 'resume' | 'mark_overdue' | 'cancel';

interface Rule {
  from: readonly TripState[];
  to: TripState | 'previous';
  roles: readonly (Role | 'system')[];
}

const officer = ['officer', 'supervisor', 'system'] as const;
export const TRANSITIONS: Record<TripAction, Rule> = {
  submit: { from: ['draft'], to: 'submitted', roles: ['enterprise'] },
  accept: { from: ['submitted'], to: 'accepted', roles: officer },
  seal: { from: ['accepted'], to: 'sealed', roles: officer },
  depart: { from: ['sealed'], to: 'in_transit', roles: officer },
  arrive_boundary: { from: ['in_transit', 'overdue'], to: 'at_boundary', roles: [...officer, 'gate'] },
  handover: { from: ['at_boundary'], to: 'handed_over', roles: [...officer, 'gate', 'peer'] },
  arrive: { from: ['handed_over', 'overdue'], to: 'arrived', roles: officer },
  unseal: { from: ['arrived'], to: 'unsealed', roles: ['officer', 'supervisor'] },
  close: { from: ['unsealed'], to: 'closed', roles: officer },
  inspect: { from: ['accepted', 'sealed', 'at_boundary', 'arrived'], to: 'inspection', roles: [...officer, 'gate'] },
  hold: { from: ['sealed', 'in_transit', 'at_boundary', 'handed_over', 'inspection', 'overdue'], to: 'held', roles: [...officer, 'gate'] },
  suspend: { from: ['sealed', 'in_transit', 'at_boundary', 'handed_over', 'arrived', 'overdue'], to: 'suspended', roles: officer },
  resume: { from: SIDE_STATES, to: 'previous', roles: officer },
  mark_overdue: { from: ['in_transit', 'handed_over'], to: 'overdue', roles: officer },
  cancel: { from: ['draft', 'submitted', 'accepted', 'sealed', 'held', 'suspended'], to: 'cancelled', roles: officer },
};
export const TRIP_ACTIONS = Object.keys(TRANSITIONS) as TripAction[];

/** Where `action` takes a trip in `state`; `previous` is the state a side state was entered from. */
export function nextState(state: TripState, action: TripAction, previous: TripState | null = null): TripState {
  const rule = TRANSITIONS[action];
  if (!rule) throw conflict('unknown_action', `unknown trip action "${action}"`);
  if (!rule.from.includes(state)) {
    throw conflict('illegal_transition', `cannot ${action} a trip that is ${state} (allowed from: ${rule.from.join(', ')})`, { state, action, allowedFrom: rule.from });
  }
  if (rule.to === 'previous') {
    if (!previous) throw conflict('illegal_transition', `no state to resume to from ${state}`, { state, action });
    return previous;
  }
  return rule.to;
}

export const isActive = (s: TripState) => !TERMINAL_STATES.includes(s);
