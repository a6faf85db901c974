import type { Logger } from './logger.js';

/**
 * Domain events: small facts a module announces after its own state change is written, so other
 * modules react without being called inline (Vendure's EventBus, in-process). A handler runs after
 * the write that caused the event, so a crash between the two leaves the state change in place and
 * the reaction undone: every reaction is idempotent and the reconciler sweep re-runs it.
 */
export abstract class DomainEvent {
  abstract readonly type: string;
}

type Handler<E> = (event: E) => Promise<void>;
type EventClass<E extends DomainEvent> = abstract new (...args: never[]) => E;

export class DomainEvents {
  private readonly handlers = new Map<EventClass<DomainEvent>, { name: string; fn: Handler<DomainEvent> }[]>();

  constructor(private readonly logger: Logger) {}

  /** Registers a reaction; `name` appears in logs when it fails. */
  on<E extends DomainEvent>(type: EventClass<E>, name: string, fn: Handler<E>): void {
    const list = this.handlers.get(type) ?? [];
    list.push({ name, fn: fn as Handler<DomainEvent> });
    this.handlers.set(type, list);
  }

  /**
   * Runs every reaction to the event, one after another, and resolves when they are done. A failing
   * reaction is logged and does not stop the others; the sweep finishes what it left undone.
   */
  async emit(event: DomainEvent): Promise<void> {
    for (const h of this.handlers.get(event.constructor as EventClass<DomainEvent>) ?? []) {
      try {
        await h.fn(event);
      } catch (err) {
        this.logger.warn({ err, event: event.type, handler: h.name }, 'event reaction failed; the sweep will finish it');
      }
    }
  }
}
