export type Listener<T> = (payload: T) => void;

/** A small event emitter typed by an event map; works the same in Node and in the browser. */
export class TypedEmitter<Events extends object> {
  private readonly listeners = new Map<keyof Events, Set<Listener<never>>>();

  /** Returns the function that removes the listener. */
  on<E extends keyof Events>(event: E, listener: Listener<Events[E]>): () => void {
    let set = this.listeners.get(event);
    if (!set) this.listeners.set(event, (set = new Set()));
    set.add(listener as Listener<never>);
    return () => void set.delete(listener as Listener<never>);
  }

  emit<E extends keyof Events>(event: E, payload: Events[E]): void {
    for (const listener of [...(this.listeners.get(event) ?? [])]) {
      try {
        (listener as Listener<Events[E]>)(payload);
      } catch (e) {
        // A failing listener of the embedding app must not stop the client's own bookkeeping: report it
        // as uncaught, after this delivery.
        queueMicrotask(() => {
          throw e;
        });
      }
    }
  }
}
