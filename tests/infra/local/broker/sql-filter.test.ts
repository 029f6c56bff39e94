import { describe, expect, test } from 'vitest';
import type { SqlMessageTarget } from '../../../../infra/local/broker/sql-filter/evaluator';
import { apply, matches } from '../../../../infra/local/broker/sql-filter/evaluator';
import { SqlSyntaxError } from '../../../../infra/local/broker/sql-filter/lexer';
import { parseAction, parseFilter } from '../../../../infra/local/broker/sql-filter/parser';
import type { PropertyRef, SqlValue } from '../../../../infra/local/broker/sql-filter/syntax';

/** A message as plain maps: system properties by lower-case name, user properties as sent. */
class FakeMessage implements SqlMessageTarget {
  constructor(
    readonly systemProperties: Record<string, SqlValue> = {},
    readonly userProperties: Record<string, SqlValue> = {},
  ) {}
  system(name: string): SqlValue {
    return name in this.systemProperties ? this.systemProperties[name] : null;
  }
  user(name: string): SqlValue {
    const key = Object.keys(this.userProperties).find((k) => k.toLowerCase() === name.toLowerCase());
    return key === undefined ? undefined : this.userProperties[key];
  }
  set(property: PropertyRef, value: SqlValue): void {
    if (property.scope === 'sys') this.systemProperties[property.name.toLowerCase()] = value;
    else this.userProperties[property.name] = value;
  }
  remove(property: PropertyRef): void {
    delete this.userProperties[property.name];
  }
}

const order = new FakeMessage(
  { label: 'order.created', messageid: 'm-1', correlationid: null },
  { color: 'blue', quantity: 10, price: 2.5, rush: true, note: null, path: 'ABC%def' },
);
const passes = (filter: string, message = order) => matches(parseFilter(filter), message);

describe('SQL filter: comparisons and logic', () => {
  test.each([
    ["color = 'blue'", true],
    ["color = 'Blue'", false],
    ["Color = 'blue'", true],
    ["user.color <> 'red'", true],
    ["color != 'blue'", false],
    ['quantity > 9', true],
    ['quantity >= 10 AND quantity <= 10', true],
    ['quantity < 10', false],
    ['price = 2.5', true],
    ['price > 0.25E1', false],
    ['quantity / 4 = 2', true],
    ['quantity % 4 = 2 AND -quantity = 0 - 10', true],
    ['quantity * 2 + 1 = 21', true],
    ['rush = TRUE', true],
    ['NOT rush = FALSE', true],
    ["color = 'red' OR quantity = 10", true],
    ["(color = 'red' OR color = 'green') AND quantity = 10", false],
    ["sys.Label = 'order.created'", true],
    ["sys.label = 'order.created' AND sys.MessageId = 'm-1'", true],
    ["'it''s' = 'it''s'", true],
    ['1=1', true],
    ['1=0', false],
    ['TRUE', true],
  ])('%s → %s', (filter, expected) => {
    expect(passes(filter)).toBe(expected);
  });

  test('a missing user property is unknown: neither it nor its negation lets the message in', () => {
    expect(passes("missing = 'x'")).toBe(false);
    expect(passes("NOT missing = 'x'")).toBe(false);
    expect(passes("missing = 'x' OR color = 'blue'")).toBe(true);
    expect(passes("missing = 'x' AND color = 'red'")).toBe(false);
  });

  test('values of different kinds do not compare', () => {
    expect(passes("quantity = '10'")).toBe(false);
    expect(passes("NOT quantity = '10'")).toBe(false);
  });
});

describe('SQL filter: IN, LIKE, EXISTS, IS NULL', () => {
  test.each([
    ["color IN ('red', 'blue')", true],
    ["color NOT IN ('red', 'blue')", false],
    ['quantity IN (1, 2, 10)', true],
    ["missing IN ('x')", false],
    ["missing NOT IN ('x')", false],
    ["color LIKE 'bl%'", true],
    ["color LIKE 'b_ue'", true],
    ["color LIKE 'b_e'", false],
    ["color NOT LIKE '%e'", false],
    ["sys.Label LIKE 'order.%'", true],
    ["path LIKE 'ABC\\%%' ESCAPE '\\'", true],
    ["path LIKE 'ABC!%def' ESCAPE '!'", true],
    ["color LIKE 'ABC!%%' ESCAPE '!'", false],
    ['EXISTS(color)', true],
    ['EXISTS (note)', true],
    ['EXISTS(missing)', false],
    ['NOT EXISTS(missing)', true],
    ['note IS NULL', true],
    ['missing IS NULL', true],
    ['color IS NULL', false],
    ['color IS NOT NULL', true],
    ['sys.CorrelationId IS NULL', true],
    ['sys.MessageId IS NOT NULL', true],
  ])('%s → %s', (filter, expected) => {
    expect(passes(filter)).toBe(expected);
  });

  test('identifiers may be delimited or quoted, keywords written in any case', () => {
    const message = new FakeMessage({}, { 'HR-EmployeeID': 7, 'a b': 'x' });
    expect(passes('[HR-EmployeeID] = 7 and "a b" = \'x\' or FALSE', message)).toBe(true);
  });

  test('property(name) reads the user property an expression names; newid() is a fresh id', () => {
    expect(passes("property('col' + 'or') = 'blue' AND p('quantity') = 10")).toBe(true);
    expect(passes('newid() <> newid()')).toBe(true);
  });
});

describe('SQL filter: what is refused, with the column', () => {
  test.each([
    ["color = 'blue' AND", 19, /found end of expression/],
    ["color == 'blue'", 8, /Expected a constant/],
    ["color = 'blue", 9, /Unterminated/],
    ['color # 1', 7, /Unrecognized character '#'/],
    ["sys.Colour = 'x'", 5, /Unknown system property 'sys.Colour'/],
    ['color', 1, /not a condition/],
    ["color NOT = 'x'", 11, /Expected IN or LIKE/],
    ['unknownfn(1) = 1', 1, /Unknown function/],
    ['quantity IS NULL NULL', 18, /Unexpected token/],
  ])('%s', (filter, column, message) => {
    let error: unknown;
    try {
      parseFilter(filter);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SqlSyntaxError);
    expect((error as SqlSyntaxError).column).toBe(column);
    expect((error as SqlSyntaxError).message).toMatch(message);
    expect((error as SqlSyntaxError).message).toContain(`column ${column}`);
  });
});

describe('SQL rule actions', () => {
  test('SET adds or replaces properties and REMOVE drops them, in order, each seeing the ones before', () => {
    const message = new FakeMessage({}, { color: 'blue', quantity: 10, stale: 1 });
    apply(
      parseAction(
        "SET priority = 'high'; set quantity = quantity * 2 SET total = quantity + 1; REMOVE stale",
      ),
      message,
    );
    expect(message.userProperties).toEqual({ color: 'blue', quantity: 20, priority: 'high', total: 21 });
  });

  test('SET sys.<name> writes a system property; a missing property sets NULL', () => {
    const message = new FakeMessage();
    apply(parseAction("SET sys.Label = 'relabelled'; SET copy = missing"), message);
    expect(message.systemProperties.label).toBe('relabelled');
    expect(message.userProperties).toEqual({ copy: null });
  });

  test('an action that is not SET or REMOVE is refused with the column', () => {
    expect(() => parseAction('SET a = 1; UPDATE b = 2')).toThrow(
      /Expected SET or REMOVE, found 'UPDATE' \(line 1, column 12\)/,
    );
    expect(() => parseAction('')).toThrow(SqlSyntaxError);
  });
});
