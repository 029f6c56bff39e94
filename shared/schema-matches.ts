import type { z } from 'zod';

/**
 * Compile-time checks that a zod schema describes a TypeScript type that was written by hand (an interface
 * the code has long used), so the two cannot drift: a field added to one and not the other fails `tsc`.
 * Used where a shape the API answers with is an interface and its schema exists only to describe it
 * (the OpenAPI document, `shared/openapi/`).
 *
 * The comparison is of the shapes as JSON carries them (`JsonShape`): `readonly` does not matter, a branded
 * string is a string, and a key whose value may be `undefined` is an optional key (JSON.stringify drops it).
 */

type UndefinedKeys<T> = { [K in keyof T]-?: undefined extends T[K] ? K : never }[keyof T];
type Flat<T> = { [K in keyof T]: T[K] };

/** `T` as it looks once serialized to JSON and parsed back (for the types the API answers with). */
export type JsonShape<T> = T extends string
  ? T extends { readonly __brand: unknown }
    ? string
    : T
  : T extends number | boolean | null
    ? T
    : T extends readonly (infer E)[]
      ? JsonShape<E>[]
      : T extends object
        ? Flat<
            { [K in Exclude<keyof T, UndefinedKeys<T>>]: JsonShape<T[K]> } & {
              [K in UndefinedKeys<T>]?: JsonShape<Exclude<T[K], undefined>>;
            }
          >
        : T;

/** Whether `A` and `B` are the same type (not merely assignable one way). */
export type Same<A, B> = (<G>() => G extends A ? 1 : 2) extends <G>() => G extends B ? 1 : 2 ? true : false;

/** Whether the schema's output is exactly `T` as JSON carries it. */
export type SchemaMatches<S extends z.ZodType, T> = Same<JsonShape<z.output<S>>, JsonShape<T>>;

/**
 * `describes<T>()(schema)`: the schema, unchanged, which compiles only when it matches `T` field for field
 * (see `SchemaMatches`). A mismatch is reported as the schema not being assignable to an object naming
 * `T`'s JSON shape, which the compiler prints beside the schema's.
 */
export const describes =
  <T>() =>
  <S extends z.ZodType>(
    schema: S & (SchemaMatches<S, T> extends true ? unknown : { 'does not match': JsonShape<T> }),
  ): S =>
    schema;

type DeepReadonly<T> = T extends readonly (infer E)[]
  ? readonly DeepReadonly<E>[]
  : T extends object
    ? { readonly [K in keyof T]: DeepReadonly<T[K]> }
    : T;

/**
 * A value the schema accepts, with `readonly` anywhere: what a handler annotates its answer with
 * (`const body: BodyOf<typeof schema> = …`), so its interfaces' readonly arrays fit.
 */
export type BodyOf<S extends z.ZodType> = DeepReadonly<z.input<S>>;
