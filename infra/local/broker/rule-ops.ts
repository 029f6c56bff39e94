import { types } from 'rhea';
import { BrokerError } from './broker-error';
import type { Namespace } from './namespace';
import type { CorrelationFields, Rule, RuleFilter } from './subscription-rules';
import { sqlAction, sqlFilter } from './subscription-rules';

/**
 * The rule operations of a subscription's `$management` node, as `@azure/service-bus`'s rule manager sends
 * them (`createRule`, `deleteRule`, `listRules`). Requests arrive as plain maps; enumerate-rules answers with
 * the described types of the Service Bus AMQP management spec (descriptor codes 0x0000013700000004 and on),
 * which the SDK decodes by descriptor.
 */
const DESCRIPTOR = {
  ruleDescription: 0x0000013700000004,
  emptyRuleAction: 0x0000013700000005,
  sqlRuleAction: 0x0000013700000006,
  sqlFilter: 0x000001370000006,
  trueFilter: 0x000001370000007,
  falseFilter: 0x000001370000008,
  correlationFilter: 0x000001370000009,
} as const;

/** What of a `$management` request a rule operation reads (`management-ops.ts` passes its whole request). */
interface RuleRequest {
  /** `topic/subscriptions/name`. */
  readonly entityAddress: string;
  readonly body: Record<string, unknown>;
}

type RuleOperation = (namespace: Namespace, request: RuleRequest) => { statusCode: number; body: unknown };

export const ruleOperations: Record<string, RuleOperation> = {
  'com.microsoft:add-rule': (ns, r) => {
    const name = ruleName(r.body);
    const description = (r.body['rule-description'] ?? {}) as Record<string, unknown>;
    ns.rules(r.entityAddress).add({ name, filter: filterOf(description), action: actionOf(description) });
    return { statusCode: 200, body: {} };
  },
  'com.microsoft:remove-rule': (ns, r) => {
    ns.rules(r.entityAddress).remove(ruleName(r.body));
    return { statusCode: 200, body: {} };
  },
  'com.microsoft:enumerate-rules': (ns, r) => {
    const skip = Number(r.body.skip ?? 0);
    const top = Number(r.body.top ?? Number.MAX_SAFE_INTEGER);
    const page = ns
      .rules(r.entityAddress)
      .list()
      .slice(skip, skip + top);
    if (page.length === 0) return { statusCode: 204, body: {} };
    return { statusCode: 200, body: { rules: page.map((rule) => ({ 'rule-description': describe(rule) })) } };
  },
};

function ruleName(body: Record<string, unknown>): string {
  const name = body['rule-name'];
  if (typeof name !== 'string' || name === '') throw BrokerError.argument("'rule-name' is missing.");
  return name;
}

function filterOf(description: Record<string, unknown>): RuleFilter {
  const sql = description['sql-filter'] as { expression?: unknown } | undefined;
  if (sql) {
    if (typeof sql.expression !== 'string') throw BrokerError.argument("'sql-filter' has no expression.");
    return sqlFilter(sql.expression);
  }
  const correlation = description['correlation-filter'] as Record<string, unknown> | undefined;
  if (correlation) {
    const text = (key: string) =>
      typeof correlation[key] === 'string' ? (correlation[key] as string) : null;
    const fields: CorrelationFields = {
      correlationId: text('correlation-id'),
      messageId: text('message-id'),
      to: text('to'),
      replyTo: text('reply-to'),
      subject: text('label'),
      sessionId: text('session-id'),
      replyToSessionId: text('reply-to-session-id'),
      contentType: text('content-type'),
      applicationProperties: (correlation.properties ?? null) as CorrelationFields['applicationProperties'],
    };
    return { kind: 'correlation', fields };
  }
  throw BrokerError.argument("'rule-description' has neither 'sql-filter' nor 'correlation-filter'.");
}

function actionOf(description: Record<string, unknown>): Rule['action'] {
  const action = description['sql-rule-action'] as { expression?: unknown } | undefined;
  if (!action || action.expression === undefined || action.expression === null) return undefined;
  return sqlAction(String(action.expression));
}

const described = (code: number, fields: unknown[]): unknown =>
  types.described(types.wrap_ulong(code), types.wrap_list(fields));

const optionalString = (value: string | null | undefined): unknown =>
  value === undefined || value === null ? null : types.wrap_string(value);

function describe(rule: Rule): unknown {
  const action = rule.action
    ? described(DESCRIPTOR.sqlRuleAction, [types.wrap_string(rule.action.expression)])
    : described(DESCRIPTOR.emptyRuleAction, []);
  return described(DESCRIPTOR.ruleDescription, [
    describeFilter(rule.filter),
    action,
    types.wrap_string(rule.name),
  ]);
}

function describeFilter(filter: RuleFilter): unknown {
  switch (filter.kind) {
    case 'true':
      return described(DESCRIPTOR.trueFilter, []);
    case 'false':
      return described(DESCRIPTOR.falseFilter, []);
    case 'sql':
      return described(DESCRIPTOR.sqlFilter, [types.wrap_string(filter.expression)]);
    case 'correlation': {
      const f = filter.fields;
      return described(DESCRIPTOR.correlationFilter, [
        optionalString(f.correlationId),
        optionalString(f.messageId),
        optionalString(f.to),
        optionalString(f.replyTo),
        optionalString(f.subject),
        optionalString(f.sessionId),
        optionalString(f.replyToSessionId),
        optionalString(f.contentType),
        types.wrap_map(f.applicationProperties ?? {}),
      ]);
    }
  }
}
