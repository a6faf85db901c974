import type { Connection, InferSchemaType, Model, Schema } from 'mongoose';

/**
 * Binds a module's schema to a connection (once per connection). Each module owns its models and
 * exports a `<domain>Models(conn)` built with this; the composition root collects them.
 */
export function bindModel<S extends Schema>(conn: Connection, name: string, schema: S, collection: string): Model<InferSchemaType<S>> {
  return (conn.models[name] ?? conn.model(name, schema, collection)) as Model<InferSchemaType<S>>;
}

/** Creates every declared index of the given models (unique keys carry invariants, so this runs before serving). */
export async function ensureIndexes(models: object): Promise<void> {
  for (const model of Object.values(models) as Model<unknown>[]) {
    await model.createCollection().catch(() => {});
    await model.createIndexes();
  }
}
