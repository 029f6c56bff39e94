import type { Message as AmqpMessage } from 'rhea';
import { PipelineError } from '../../../shared/errors';
import type { SubscriptionRuleDefinition } from '../../../shared/messaging/entities';
import { BrokerError } from './broker-error';
import { RuleMessageView } from './rule-message-view';
import { apply, matches } from './sql-filter/evaluator';
import { SqlSyntaxError } from './sql-filter/lexer';
import { parseAction, parseFilter } from './sql-filter/parser';
import type { Action, Expression, SqlValue } from './sql-filter/syntax';

export const DEFAULT_RULE_NAME = '$Default';

/** A correlation filter: the message must carry every value given (absent and null fields match anything). */
export interface CorrelationFields {
  readonly correlationId?: string | null;
  readonly messageId?: string | null;
  readonly to?: string | null;
  readonly replyTo?: string | null;
  readonly subject?: string | null;
  readonly sessionId?: string | null;
  readonly replyToSessionId?: string | null;
  readonly contentType?: string | null;
  readonly applicationProperties?: Readonly<Record<string, SqlValue>> | null;
}

export type RuleFilter =
  | { readonly kind: 'true' }
  | { readonly kind: 'false' }
  | { readonly kind: 'sql'; readonly expression: string; readonly parsed: Expression }
  | { readonly kind: 'correlation'; readonly fields: CorrelationFields };

export interface RuleAction {
  readonly expression: string;
  readonly statements: readonly Action[];
}

export interface Rule {
  readonly name: string;
  readonly filter: RuleFilter;
  readonly action: RuleAction | undefined;
}

/** The rule every new subscription starts with: the true filter, no action. */
export const defaultRule: Rule = { name: DEFAULT_RULE_NAME, filter: { kind: 'true' }, action: undefined };

/** A SQL filter rule; refuses a malformed expression with Azure's argument error, naming the position. */
export function sqlFilter(expression: string): RuleFilter {
  return { kind: 'sql', expression, parsed: parseOrRefuse(() => parseFilter(expression), 'filter') };
}

export function sqlAction(expression: string): RuleAction {
  return { expression, statements: parseOrRefuse(() => parseAction(expression), 'action') };
}

/**
 * The rules a subscription starts with: its declared ones, plus `$Default` (the true filter) unless one of
 * them is named `$Default`, as ARM leaves a subscription. A malformed declared rule stops the broker's start.
 */
export function initialRules(path: string, declared: readonly SubscriptionRuleDefinition[] = []): Rule[] {
  const rules = declared.map((definition) => {
    try {
      return ruleFromDefinition(definition);
    } catch (error) {
      throw PipelineError.permanent(
        'broker.invalid-rule',
        `rule '${definition.name}' of '${path}': ${(error as Error).message}`,
        { subscription: path, rule: definition.name },
        error,
      );
    }
  });
  const replacesDefault = rules.some((rule) => rule.name.toLowerCase() === DEFAULT_RULE_NAME.toLowerCase());
  return replacesDefault ? rules : [defaultRule, ...rules];
}

/** A rule as `shared/messaging/entities.ts` declares it. */
export function ruleFromDefinition(definition: SubscriptionRuleDefinition): Rule {
  const filter =
    'sql' in definition.filter
      ? sqlFilter(definition.filter.sql)
      : { kind: 'correlation' as const, fields: definition.filter.correlation };
  return {
    name: definition.name,
    filter,
    action: definition.action === undefined ? undefined : sqlAction(definition.action),
  };
}

function parseOrRefuse<T>(parse: () => T, what: 'filter' | 'action'): T {
  try {
    return parse();
  } catch (error) {
    if (!(error instanceof SqlSyntaxError)) throw error;
    throw BrokerError.argument(
      `There was an error parsing the SQL ${what} expression. [Token line=1, column=${error.column}, ` +
        `Additional details= ${error.detail}]`,
    );
  }
}

/**
 * The rules of one subscription and what they let in. Rules without an action together let in one copy of a
 * matching message; every matching rule with an action adds its own copy, changed by the action and carrying
 * the application property `RuleName` (learn.microsoft.com/azure/service-bus-messaging/topic-filters).
 */
export class SubscriptionRules {
  private readonly rules = new Map<string, Rule>();

  /** `path` names the subscription in errors. Absent `initial`: the `$Default` rule alone. */
  constructor(
    private readonly path: string,
    initial: readonly Rule[] = [defaultRule],
  ) {
    for (const rule of initial) this.rules.set(rule.name.toLowerCase(), rule);
  }

  /** Rule names are case-insensitive, as entity names are on Service Bus. */
  add(rule: Rule): void {
    const key = rule.name.toLowerCase();
    if (this.rules.has(key)) {
      throw new BrokerError(
        'com.microsoft:entity-already-exists',
        `The messaging entity '${this.path}/rules/${rule.name}' already exists.`,
        409,
      );
    }
    this.rules.set(key, rule);
  }

  remove(name: string): void {
    if (!this.rules.delete(name.toLowerCase()))
      throw BrokerError.entityNotFound(`${this.path}/rules/${name}`);
  }

  /** Every rule, by name (ordinal, case-insensitive), as Service Bus enumerates them. */
  list(): Rule[] {
    return [...this.rules.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, rule]) => rule);
  }

  /** The copies of a topic message this subscription receives: none, one, or one more per action rule. */
  copiesOf(amqp: AmqpMessage, now: number): AmqpMessage[] {
    const view = new RuleMessageView(amqp, now);
    const copies: AmqpMessage[] = [];
    let plainMatch = false;
    for (const rule of this.rules.values()) {
      if (!filterMatches(rule.filter, view)) continue;
      if (!rule.action) {
        plainMatch = true;
        continue;
      }
      const copy = new RuleMessageView(
        { ...amqp, application_properties: { ...(amqp.application_properties ?? {}) } },
        now,
      );
      apply(rule.action.statements, copy);
      copy.message.application_properties = { ...copy.message.application_properties, RuleName: rule.name };
      copies.push(copy.message);
    }
    return plainMatch ? [amqp, ...copies] : copies;
  }
}

function filterMatches(filter: RuleFilter, view: RuleMessageView): boolean {
  switch (filter.kind) {
    case 'true':
      return true;
    case 'false':
      return false;
    case 'sql':
      return matches(filter.parsed, view);
    case 'correlation':
      return correlationMatches(filter.fields, view);
  }
}

const CORRELATION_SYSTEM_FIELDS = {
  correlationId: 'correlationid',
  messageId: 'messageid',
  to: 'to',
  replyTo: 'replyto',
  subject: 'label',
  sessionId: 'sessionid',
  replyToSessionId: 'replytosessionid',
  contentType: 'contenttype',
} as const;

/** Every field the filter sets must equal the message's (strings exactly, case-sensitively). */
function correlationMatches(fields: CorrelationFields, view: RuleMessageView): boolean {
  for (const [field, system] of Object.entries(CORRELATION_SYSTEM_FIELDS)) {
    const wanted = fields[field as keyof typeof CORRELATION_SYSTEM_FIELDS];
    if (wanted !== undefined && wanted !== null && view.system(system) !== wanted) return false;
  }
  for (const [name, wanted] of Object.entries(fields.applicationProperties ?? {})) {
    const actual = view.user(name);
    const same =
      wanted instanceof Date && actual instanceof Date
        ? wanted.getTime() === actual.getTime()
        : actual === wanted;
    if (!same) return false;
  }
  return true;
}
