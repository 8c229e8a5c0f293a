/** The one set of lock events every lock profile maps its vendor signals to. */
export const LOCK_EVENTS = ['sealed', 'unsealed', 'opened_while_sealed', 'wire_cut', 'shell_tamper', 'wrong_password', 'unauthorised_card', 'low_battery', 'power_cut', 'motor_stuck'] as const;
export type LockEventName = (typeof LOCK_EVENTS)[number];
