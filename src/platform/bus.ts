/**
 * The one bus interface: in-process, synchronous fan-out, no copies. `ONELOCK_NATS_URL` is
 * reserved for a JetStream adapter with the same interface (subjects partitioned by device so one
 * worker owns a trip); none is built yet.
 */
export type Handler<T> = (msg: T) => void;

export interface Bus {
  publish<T>(subject: string, msg: T): void;
  subscribe<T>(subject: string, handler: Handler<T>): () => void;
}

export type SubscriberFailed = (subject: string, error: unknown) => void;

export class LocalBus implements Bus {
  private handlers = new Map<string, Set<Handler<any>>>();
  /** Subscriber failures by subject so far (each is also reported to onFailed). */
  readonly failures = new Map<string, number>();

  /**
   * A failing subscriber must stop neither delivery to the others nor the publisher. It used to be
   * re-thrown on a microtask, which ended the process: one bad message on a subject (a webhook
   * enqueue, a cache drop) took the gateway's sessions and every in-flight request down with it.
   * It is reported instead; subscribers that own state (supervision) log and count their own.
   */
  constructor(private onFailed: SubscriberFailed = (subject, e) => process.emitWarning(`bus subscriber on ${subject} failed: ${(e as Error)?.message ?? e}`)) {}

  publish<T>(subject: string, msg: T) {
    const hs = this.handlers.get(subject);
    if (!hs) return;
    for (const h of hs) {
      try {
        h(msg);
      } catch (e) {
        this.failures.set(subject, (this.failures.get(subject) ?? 0) + 1);
        try { this.onFailed(subject, e); } catch { /* a failing reporter must not undo the rule above */ }
      }
    }
  }

  subscribe<T>(subject: string, handler: Handler<T>) {
    let hs = this.handlers.get(subject);
    if (!hs) this.handlers.set(subject, (hs = new Set()));
    hs.add(handler);
    return () => void hs!.delete(handler);
  }
}

/** Bus subject of a committed create or update of a registry resource, e.g. `route.changed` (message: {id, version}). */
export const registryChanged = (name: string) => `${name}.changed`;
