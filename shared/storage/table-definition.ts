import { z } from 'zod';
import { PipelineError } from '../errors';
import { jsonProperties, readJsonProperty } from './json-property';

/** The two keys of a Tables entity. */
export interface EntityKeys {
  readonly partitionKey: string;
  readonly rowKey: string;
}

/** An entity as the Tables service holds it: its keys and its properties (system properties left out). */
export type RawEntity = EntityKeys & Readonly<Record<string, unknown>>;

/** An entity to write: its keys and plain property values. */
export type EntityToWrite = EntityKeys & Record<string, string | number | boolean>;

/**
 * One table of the catalogue: what it is for, how its keys are built, and the conversion between a row (the
 * value its writers and readers exchange) and the entity stored for it. `toEntity` and `fromEntity` are the
 * only way a row reaches the table or comes back, so a renamed or retyped property fails a read loudly
 * (`storage.invalid-row`, naming the table, the keys and the field) instead of turning into `"undefined"`.
 */
export interface TableDefinition<Row, KeyArgs extends readonly unknown[], Column extends string = string> {
  readonly kind: 'table';
  readonly name: string;
  readonly purpose: string;
  /** How the partition key is built, in words. */
  readonly partitionKey: string;
  /** How the row key is built, in words. */
  readonly rowKey: string;
  /** The partition key of every row, for a table that has one partition (a listing queries it). */
  readonly partition?: string;
  /** The stored entity's properties, each JSON column named by the document it holds. */
  readonly schema: z.ZodObject;
  /** The properties stored as a JSON document split over `<name>0…<name>N` and `<name>Chunks`. */
  readonly jsonColumns: readonly Column[];
  /** The keys of the row these values name (a point read or a delete). */
  key(...args: KeyArgs): EntityKeys;
  toEntity(row: Row): EntityToWrite;
  /** The row `entity` holds; `table` is the name it was read from when not the catalogue's (a test's copy). */
  fromEntity(entity: RawEntity, table?: string): Row;
  /** A property's name as a query filter uses it, checked against the schema when the code is compiled. */
  column<C extends Column>(name: C): C;
}

/** The row type of a catalogue entry: `RowOf<typeof buildsTable>` is `BuildRecord`. */
export type RowOf<Definition> = Definition extends {
  fromEntity(entity: RawEntity, table?: string): infer Row;
}
  ? Row
  : never;

/** What a table module declares; `defineTable` turns it into the catalogue entry. */
export interface TableSpec<S extends z.ZodObject, Row, KeyArgs extends readonly unknown[]> {
  readonly name: string;
  readonly purpose: string;
  readonly partitionKey: string;
  readonly rowKey: string;
  readonly partition?: string;
  /** The stored properties as read back; JSON columns hold the document (`jsonColumns`). */
  readonly schema: S;
  readonly jsonColumns?: readonly (keyof z.input<S> & string)[];
  readonly key: (...args: KeyArgs) => EntityKeys;
  readonly keyOf: (row: Row) => EntityKeys;
  /** The stored properties of `row`; an `undefined` value is not written (a merge keeps what is stored). */
  readonly toColumns: (row: Row) => z.input<S>;
  readonly fromColumns: (columns: z.output<S>, keys: EntityKeys) => Row;
}

export function defineTable<S extends z.ZodObject, Row, KeyArgs extends readonly unknown[]>(
  spec: TableSpec<S, Row, KeyArgs>,
): TableDefinition<Row, KeyArgs, keyof z.input<S> & string> {
  const jsonColumns = spec.jsonColumns ?? [];
  return {
    kind: 'table',
    name: spec.name,
    purpose: spec.purpose,
    partitionKey: spec.partitionKey,
    rowKey: spec.rowKey,
    ...(spec.partition === undefined ? {} : { partition: spec.partition }),
    schema: spec.schema,
    jsonColumns,
    key: spec.key,
    column: (name) => name,
    toEntity(row) {
      const entity: EntityToWrite = { ...spec.keyOf(row) };
      for (const [name, value] of Object.entries(spec.toColumns(row) as Record<string, unknown>)) {
        if (value === undefined) continue;
        if ((jsonColumns as readonly string[]).includes(name))
          Object.assign(entity, jsonProperties(name, value));
        else entity[name] = value as string | number | boolean;
      }
      return entity;
    },
    fromEntity(entity, table = spec.name) {
      const values: Record<string, unknown> = { ...entity };
      for (const column of jsonColumns) {
        try {
          values[column] = readJsonProperty(entity, column);
        } catch (error) {
          throw invalidRow(table, entity, column, 'its JSON does not parse', error);
        }
      }
      const parsed = spec.schema.safeParse(values);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        throw invalidRow(table, entity, issue?.path.join('.') ?? '', issue?.message ?? 'does not fit');
      }
      return spec.fromColumns(parsed.data, { partitionKey: entity.partitionKey, rowKey: entity.rowKey });
    },
  };
}

function invalidRow(
  table: string,
  keys: EntityKeys,
  field: string,
  detail: string,
  cause?: unknown,
): PipelineError {
  return PipelineError.permanent(
    'storage.invalid-row',
    `row ${keys.partitionKey}/${keys.rowKey} of table ${table} does not fit its schema: ${field}: ${detail}`,
    { table, partitionKey: keys.partitionKey, rowKey: keys.rowKey, field },
    cause,
  );
}

/**
 * A property holding a small JSON document as one string (not split: it stays under the 64 KiB limit of a
 * string property); reading parses it and checks it with `schema`.
 */
export function jsonText<T extends z.ZodType>(schema: T) {
  return z
    .string()
    .transform((text, context) => {
      try {
        return JSON.parse(text) as unknown;
      } catch {
        context.issues.push({ code: 'custom', message: 'its JSON does not parse', input: text });
        return z.NEVER;
      }
    })
    .pipe(schema);
}
