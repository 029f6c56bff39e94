/** The parsed form of a SQL filter or rule action: what `parser.ts` produces and `evaluator.ts` reads. */

/** A value as the language sees it: SQL NULL is `null`; `undefined` is "unknown" (a missing user property). */
export type SqlValue = string | number | boolean | Date | null | undefined;

export type Scope = 'sys' | 'user';

export interface PropertyRef {
  readonly scope: Scope;
  /** As written; property names compare case-insensitively. */
  readonly name: string;
}

export type Expression =
  | { readonly kind: 'constant'; readonly value: SqlValue }
  | { readonly kind: 'property'; readonly property: PropertyRef }
  | { readonly kind: 'newid' }
  /** `property(name)` / `p(name)`: the user property whose name the argument evaluates to. */
  | { readonly kind: 'propertyOf'; readonly name: Expression }
  | { readonly kind: 'negate'; readonly operand: Expression }
  | {
      readonly kind: 'arithmetic';
      readonly op: '+' | '-' | '*' | '/' | '%';
      readonly left: Expression;
      readonly right: Expression;
    }
  | Predicate;

export type Comparison = '=' | '<>' | '!=' | '<' | '<=' | '>' | '>=';

export type Predicate =
  | {
      readonly kind: 'compare';
      readonly op: Comparison;
      readonly left: Expression;
      readonly right: Expression;
    }
  | { readonly kind: 'and' | 'or'; readonly left: Expression; readonly right: Expression }
  | { readonly kind: 'not'; readonly operand: Expression }
  | {
      readonly kind: 'in';
      readonly operand: Expression;
      readonly list: readonly Expression[];
      readonly negated: boolean;
    }
  | {
      readonly kind: 'like';
      readonly operand: Expression;
      readonly pattern: Expression;
      readonly escape: Expression | undefined;
      readonly negated: boolean;
    }
  | { readonly kind: 'isNull'; readonly property: PropertyRef; readonly negated: boolean }
  | { readonly kind: 'exists'; readonly property: PropertyRef };

export type Action =
  | { readonly kind: 'set'; readonly property: PropertyRef; readonly value: Expression }
  | { readonly kind: 'remove'; readonly property: PropertyRef };

const PREDICATE_KINDS = new Set(['compare', 'and', 'or', 'not', 'in', 'like', 'isNull', 'exists']);

export const isPredicate = (expression: Expression): expression is Predicate =>
  PREDICATE_KINDS.has(expression.kind);

/**
 * The system properties `sys.<name>` may name (the public properties of Service Bus's BrokeredMessage, lower
 * case). Naming any other is an error, as on Azure; a user property that is missing is merely unknown.
 */
export const SYSTEM_PROPERTIES = new Set([
  'contenttype',
  'correlationid',
  'deadlettersource',
  'deliverycount',
  'enqueuedsequencenumber',
  'enqueuedtimeutc',
  'expiresatutc',
  'label',
  'lockeduntilutc',
  'locktoken',
  'messageid',
  'partitionkey',
  'replyto',
  'replytosessionid',
  'scheduledenqueuetimeutc',
  'sequencenumber',
  'sessionid',
  'size',
  'state',
  'timetolive',
  'to',
  'viapartitionkey',
]);
