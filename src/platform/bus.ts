/**
 * The one bus interface. In-process by default (synchronous fan-out, no copies); a NATS JetStream
 * adapter with the same interface is for scale-out, with subjects partitioned by device so one
 * worker owns a trip.
 */
export type Handler<T> = (msg: T) => void;

export interface Bus {
  publish<T>(subject: string, msg: T): void;
  subscribe<T>(subject: string, handler: Handler<T>): () => void;
}

export class LocalBus implements Bus {
  private handlers = new Map<string, Set<Handler<any>>>();
  publish<T>(subject: string, msg: T) {
    const hs = this.handlers.get(subject);
    if (!hs) return;
    for (const h of hs) {
      try {
        h(msg);
      } catch (e) {
        // A failing subscriber must not stop delivery to the others or to the publisher.
        queueMicrotask(() => { throw e; });
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
