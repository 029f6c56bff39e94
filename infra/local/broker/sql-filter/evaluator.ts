import { randomUUID } from 'node:crypto';
import type { Action, Comparison, Expression, PropertyRef, SqlValue } from './syntax';

/** The message a filter reads. Missing properties are `undefined` (unknown); SQL NULL is `null`. */
export interface SqlMessage {
  /** A system property by its lower-case name (`label`, `messageid`). */
  system(name: string): SqlValue;
  /** A user (application) property; names match case-insensitively. */
  user(name: string): SqlValue;
}

/** The message copy a rule action changes. */
export interface SqlMessageTarget extends SqlMessage {
  set(property: PropertyRef, value: SqlValue): void;
  remove(property: PropertyRef): void;
}

/** SQL's three truth values; unknown is `undefined`. */
type Truth = boolean | undefined;

/** True only when the filter evaluates to TRUE: FALSE and UNKNOWN both leave the message out. */
export function matches(filter: Expression, message: SqlMessage): boolean {
  return truth(evaluate(filter, message)) === true;
}

/** Runs a rule action's statements in order against the copy; later statements see earlier changes. */
export function apply(actions: readonly Action[], message: SqlMessageTarget): void {
  for (const action of actions) {
    if (action.kind === 'remove') message.remove(action.property);
    else {
      const value = evaluate(action.value, message);
      message.set(action.property, value === undefined ? null : value);
    }
  }
}

function evaluate(e: Expression, m: SqlMessage): SqlValue {
  switch (e.kind) {
    case 'constant':
      return e.value;
    case 'property':
      return read(e.property, m);
    case 'newid':
      return randomUUID();
    case 'propertyOf': {
      const name = evaluate(e.name, m);
      return typeof name === 'string' ? m.user(name) : undefined;
    }
    case 'negate': {
      const value = evaluate(e.operand, m);
      return typeof value === 'number' ? -value : undefined;
    }
    case 'arithmetic':
      return arithmetic(e.op, evaluate(e.left, m), evaluate(e.right, m));
    case 'compare':
      return compare(e.op, evaluate(e.left, m), evaluate(e.right, m));
    case 'and':
      return and(truth(evaluate(e.left, m)), truth(evaluate(e.right, m)));
    case 'or':
      return or(truth(evaluate(e.left, m)), truth(evaluate(e.right, m)));
    case 'not': {
      const value = truth(evaluate(e.operand, m));
      return value === undefined ? undefined : !value;
    }
    case 'in': {
      const value = evaluate(e.operand, m);
      if (value === undefined || value === null) return undefined;
      const found = e.list.some((item) => compare('=', value, evaluate(item, m)) === true);
      return e.negated ? !found : found;
    }
    case 'like':
      return like(
        e.negated,
        evaluate(e.operand, m),
        evaluate(e.pattern, m),
        e.escape && evaluate(e.escape, m),
      );
    case 'isNull': {
      const value = read(e.property, m);
      const isNull = value === undefined || value === null;
      return e.negated ? !isNull : isNull;
    }
    case 'exists':
      return read(e.property, m) !== undefined;
  }
}

const read = (p: PropertyRef, m: SqlMessage): SqlValue =>
  p.scope === 'sys' ? m.system(p.name.toLowerCase()) : m.user(p.name);

const truth = (value: SqlValue): Truth => (typeof value === 'boolean' ? value : undefined);

function and(a: Truth, b: Truth): Truth {
  if (a === false || b === false) return false;
  return a === true && b === true ? true : undefined;
}

function or(a: Truth, b: Truth): Truth {
  if (a === true || b === true) return true;
  return a === false && b === false ? false : undefined;
}

const comparable = (v: SqlValue): number | string | boolean | undefined =>
  v instanceof Date ? v.getTime() : v === null ? undefined : v;

/** Values of different kinds (a string and a number) do not compare: the result is unknown, not an error. */
function compare(op: Comparison, left: SqlValue, right: SqlValue): Truth {
  const a = comparable(left);
  const b = comparable(right);
  if (a === undefined || b === undefined || typeof a !== typeof b) return undefined;
  if (typeof a === 'boolean' && op !== '=' && op !== '<>' && op !== '!=') return undefined;
  switch (op) {
    case '=':
      return a === b;
    case '<>':
    case '!=':
      return a !== b;
    case '<':
      return a < b;
    case '<=':
      return a <= b;
    case '>':
      return a > b;
    case '>=':
      return a >= b;
  }
}

/** Numbers follow C#: an integer divided by an integer is truncated. `+` also joins two strings. */
function arithmetic(op: '+' | '-' | '*' | '/' | '%', left: SqlValue, right: SqlValue): SqlValue {
  if (op === '+' && typeof left === 'string' && typeof right === 'string') return left + right;
  if (typeof left !== 'number' || typeof right !== 'number') return undefined;
  switch (op) {
    case '+':
      return left + right;
    case '-':
      return left - right;
    case '*':
      return left * right;
    case '/':
      if (right === 0) return undefined;
      return Number.isInteger(left) && Number.isInteger(right) ? Math.trunc(left / right) : left / right;
    case '%':
      return right === 0 ? undefined : left % right;
  }
}

/** `%` is any run of characters, `_` any one; the escape character makes the next one literal. */
function like(negated: boolean, value: SqlValue, pattern: SqlValue, escape: SqlValue): Truth {
  if (typeof value !== 'string' || typeof pattern !== 'string') return undefined;
  if (escape !== undefined && (typeof escape !== 'string' || escape.length !== 1)) return undefined;
  let source = '';
  for (let i = 0; i < pattern.length; i += 1) {
    const c = pattern[i]!;
    if (escape !== undefined && c === escape && i + 1 < pattern.length) {
      i += 1;
      source += regexLiteral(pattern[i]!);
    } else if (c === '%') source += '[\\s\\S]*';
    else if (c === '_') source += '[\\s\\S]';
    else source += regexLiteral(c);
  }
  const found = new RegExp(`^${source}$`, 'u').test(value);
  return negated ? !found : found;
}

const regexLiteral = (c: string): string => c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
