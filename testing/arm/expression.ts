/**
 * A small evaluator of ARM template expressions (`[concat(parameters('a'), 'b')]`), enough to read what a
 * compiled Bicep template hands a resource: literals, function calls, property access and indexing. Runtime
 * values (a module's outputs, a resource's properties) come from the caller's `reference`, so a test states
 * what Azure would return and the evaluator does the rest as ARM would. Unknown functions throw, naming the
 * function, rather than guess. Grammar and functions:
 * https://learn.microsoft.com/azure/azure-resource-manager/templates/template-expressions
 */

import { createHash } from 'node:crypto';

export type ArmValue = string | number | boolean | null | ArmValue[] | { [key: string]: ArmValue };

export interface ArmContext {
  readonly parameters: Readonly<Record<string, ArmValue>>;
  /** A variable's raw value from the template (evaluated on use). */
  readonly variables: Readonly<Record<string, unknown>>;
  /** `reference(resourceId, apiVersion)`: what the deployment would read back. */
  reference(resourceId: string): ArmValue;
  readonly subscriptionId?: string;
  readonly resourceGroup?: string;
  readonly location?: string;
  /** The loop index inside a `copy` loop. */
  readonly copyIndex?: number;
  /** The loop indexes inside property `copy` loops, by loop name. */
  readonly loopIndexes?: Readonly<Record<string, number>>;
  /** The values a `lambda` binds while `filter`/`map` run it. */
  readonly lambdaVariables?: Readonly<Record<string, ArmValue>>;
}

type Node =
  | { readonly kind: 'literal'; readonly value: ArmValue }
  | { readonly kind: 'call'; readonly name: string; readonly args: readonly Node[] }
  | { readonly kind: 'member'; readonly target: Node; readonly key: Node };

/** Evaluates a template value: strings in brackets are expressions (`[[` escapes a literal bracket). */
export function evaluateTemplateValue(value: unknown, context: ArmContext): ArmValue {
  if (typeof value === 'string') {
    if (value.startsWith('[[')) return value.slice(1);
    if (value.startsWith('[') && value.endsWith(']')) return evaluate(parse(value.slice(1, -1)), context);
    return value;
  }
  if (Array.isArray(value)) return value.map((item) => evaluateTemplateValue(item, context));
  if (value !== null && typeof value === 'object') {
    const { copy, ...rest } = value as { copy?: unknown };
    if (Array.isArray(copy)) return withPropertyCopies(rest, copy as PropertyCopy[], context);
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, evaluateTemplateValue(item, context)]),
    );
  }
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return value;
  throw new Error(`not a template value: ${String(value)}`);
}

interface PropertyCopy {
  readonly name: string;
  readonly count: unknown;
  readonly input: unknown;
}

/** A property `copy` loop: each named property is an array of `input` evaluated once per `copyIndex('name')`. */
function withPropertyCopies(
  rest: Record<string, unknown>,
  copies: readonly PropertyCopy[],
  context: ArmContext,
): ArmValue {
  const result = evaluateTemplateValue(rest, context) as Record<string, ArmValue>;
  for (const loop of copies) {
    const count = Number(evaluateTemplateValue(loop.count, context));
    result[loop.name] = Array.from({ length: count }, (_, i) =>
      evaluateTemplateValue(loop.input, {
        ...context,
        loopIndexes: { ...context.loopIndexes, [loop.name]: i },
      }),
    );
  }
  return result;
}

function parse(text: string): Node {
  let at = 0;
  const skip = (): void => {
    while (at < text.length && /\s/.test(text[at] ?? '')) at += 1;
  };
  const expect = (char: string): void => {
    skip();
    if (text[at] !== char) throw new Error(`expected '${char}' at ${at} in ${text}`);
    at += 1;
  };
  const primary = (): Node => {
    skip();
    const char = text[at];
    if (char === "'") {
      let value = '';
      at += 1;
      for (;;) {
        const next = text[at];
        if (next === undefined) throw new Error(`unterminated string in ${text}`);
        if (next === "'" && text[at + 1] === "'") {
          value += "'";
          at += 2;
        } else if (next === "'") {
          at += 1;
          return { kind: 'literal', value };
        } else {
          value += next;
          at += 1;
        }
      }
    }
    const number = /^-?\d+/.exec(text.slice(at));
    if (number) {
      at += number[0].length;
      return { kind: 'literal', value: Number(number[0]) };
    }
    const name = /^[A-Za-z_][\w.]*/.exec(text.slice(at))?.[0];
    if (!name) throw new Error(`unexpected '${char ?? 'end'}' at ${at} in ${text}`);
    at += name.length;
    expect('(');
    const args: Node[] = [];
    skip();
    if (text[at] === ')') at += 1;
    else {
      for (;;) {
        args.push(expression());
        skip();
        if (text[at] === ',') at += 1;
        else break;
      }
      expect(')');
    }
    return { kind: 'call', name: name.toLowerCase(), args };
  };
  const expression = (): Node => {
    let node = primary();
    for (;;) {
      skip();
      if (text[at] === '.') {
        at += 1;
        const key = /^\w+/.exec(text.slice(at))?.[0];
        if (!key) throw new Error(`expected a property name at ${at} in ${text}`);
        at += key.length;
        node = { kind: 'member', target: node, key: { kind: 'literal', value: key } };
      } else if (text[at] === '[') {
        at += 1;
        const key = expression();
        expect(']');
        node = { kind: 'member', target: node, key };
      } else return node;
    }
  };
  const node = expression();
  skip();
  if (at !== text.length) throw new Error(`unexpected text at ${at} in ${text}`);
  return node;
}

function evaluate(node: Node, context: ArmContext): ArmValue {
  switch (node.kind) {
    case 'literal':
      return node.value;
    case 'member': {
      const target = evaluate(node.target, context);
      const key = evaluate(node.key, context);
      const found =
        Array.isArray(target) && typeof key === 'number'
          ? target[key]
          : target !== null && typeof target === 'object' && !Array.isArray(target)
            ? target[String(key)]
            : undefined;
      if (found === undefined) throw new Error(`no property ${String(key)} on ${JSON.stringify(target)}`);
      return found;
    }
    case 'call':
      return call(node.name, node.args, context);
  }
}

/** `Microsoft.Storage/storageAccounts/blobServices`, [`st`, `default`] → `Microsoft.Storage/storageAccounts/st/blobServices/default`. */
function typedPath([type = '', ...names]: string[]): string {
  const [namespace, ...types] = type.split('/');
  return [namespace, ...types.flatMap((segment, i) => [segment, names[i] ?? ''])].join('/');
}

function uuidOf(seed: string): string {
  const hex = createHash('sha256').update(seed).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

const text = (value: ArmValue): string => (typeof value === 'string' ? value : JSON.stringify(value));

function call(name: string, args: readonly Node[], context: ArmContext): ArmValue {
  // `if` evaluates only the branch it takes, as ARM does.
  if (name === 'if') {
    const [condition, then, otherwise] = args;
    if (!condition || !then || !otherwise) throw new Error('if() takes three arguments');
    return evaluate(condition, context) === true ? evaluate(then, context) : evaluate(otherwise, context);
  }
  // `filter`/`map` take a lambda('name', body): the body runs once per item with the name bound.
  if (name === 'filter' || name === 'map') {
    const [listNode, lambdaNode] = args;
    const list = listNode ? evaluate(listNode, context) : null;
    if (!Array.isArray(list) || lambdaNode?.kind !== 'call' || lambdaNode.name !== 'lambda') {
      throw new Error(`${name}() takes an array and a lambda`);
    }
    const [variableNode, body] = lambdaNode.args;
    const variable = variableNode ? String(evaluate(variableNode, context)) : '';
    if (!body) throw new Error('lambda() takes a name and a body');
    const apply = (item: ArmValue): ArmValue =>
      evaluate(body, { ...context, lambdaVariables: { ...context.lambdaVariables, [variable]: item } });
    return name === 'filter' ? list.filter((item) => apply(item) === true) : list.map(apply);
  }
  const values = args.map((arg) => evaluate(arg, context));
  const [first, second] = values;
  switch (name) {
    case 'parameters': {
      const value = context.parameters[String(first)];
      if (value === undefined) throw new Error(`no value for parameter ${String(first)}`);
      return value;
    }
    case 'variables': {
      const raw = context.variables[String(first)];
      if (raw === undefined) throw new Error(`no variable ${String(first)}`);
      return evaluateTemplateValue(raw, context);
    }
    case 'lambdavariables': {
      const value = context.lambdaVariables?.[String(first)];
      if (value === undefined) throw new Error(`no lambda variable ${String(first)}`);
      return value;
    }
    case 'copyindex': {
      // copyIndex(), copyIndex(offset), copyIndex('loop'), copyIndex('loop', offset)
      const loop = typeof first === 'string' ? first : undefined;
      const offset = Number((loop === undefined ? first : second) ?? 0);
      const index = loop === undefined ? context.copyIndex : context.loopIndexes?.[loop];
      if (index === undefined) throw new Error(`copyIndex(${loop ?? ''}) outside its copy loop`);
      return index + offset;
    }
    case 'items':
      return Object.entries((first ?? {}) as Record<string, ArmValue>)
        .sort(([a], [b]) => a.toLowerCase().localeCompare(b.toLowerCase()))
        .map(([key, item]) => ({ key, value: item }));
    case 'length':
      return Array.isArray(first) || typeof first === 'string'
        ? first.length
        : Object.keys(first ?? {}).length;
    case 'guid':
      // ARM's is a name-based UUID of the arguments; any stable UUID-shaped value of them serves a test.
      return uuidOf(values.map(text).join('|'));
    case 'subscriptionresourceid':
      return `/subscriptions/${context.subscriptionId ?? '00000000-0000-0000-0000-000000000000'}/providers/${typedPath(values.map(text))}`;
    case 'reference':
      return context.reference(String(first));
    case 'extensionresourceid':
      // extensionResourceId(baseId, type, names…): a resource of `type` under another resource or scope.
      return `${text(first ?? '')}/providers/${typedPath(values.slice(1).map(text))}`;
    case 'resourceid':
      return `/subscriptions/${context.subscriptionId ?? '00000000-0000-0000-0000-000000000000'}/resourceGroups/${context.resourceGroup ?? 'rg'}/providers/${typedPath(values.map(text))}`;
    case 'format':
      return text(first ?? '').replace(/\{(\d+)\}/g, (_, index: string) =>
        text(values[Number(index) + 1] ?? ''),
      );
    case 'concat':
      return values.every(Array.isArray) ? values.flat() : values.map(text).join('');
    case 'string':
      return text(first ?? '');
    case 'int':
      return Number(first);
    case 'tolower':
      return text(first ?? '').toLowerCase();
    case 'replace':
      return text(first ?? '').replaceAll(text(second ?? ''), text(values[2] ?? ''));
    case 'split':
      return text(first ?? '').split(text(second ?? ''));
    case 'join':
      if (!Array.isArray(first)) throw new Error('join() takes an array');
      return first.map(text).join(text(second ?? ''));
    case 'createobject': {
      const entries: [string, ArmValue][] = [];
      for (let i = 0; i < values.length; i += 2) entries.push([text(values[i] ?? ''), values[i + 1] ?? null]);
      return Object.fromEntries(entries);
    }
    case 'createarray':
      return values;
    case 'union':
      return values.every(Array.isArray)
        ? [...new Set(values.flat())]
        : Object.assign({}, ...values.map((value) => value as Record<string, ArmValue>));
    case 'add':
      return Number(first) + Number(second);
    case 'mul':
      return Number(first) * Number(second);
    case 'greater':
      return Number(first) > Number(second);
    case 'equals':
      return JSON.stringify(first) === JSON.stringify(second);
    case 'not':
      return first !== true;
    case 'or':
      return values.some((v) => v === true);
    case 'and':
      return values.every((v) => v === true);
    case 'empty':
      return (
        first === null ||
        first === '' ||
        (Array.isArray(first) && first.length === 0) ||
        (typeof first === 'object' && first !== null && Object.keys(first).length === 0)
      );
    case 'true':
      return true;
    case 'false':
      return false;
    case 'null':
      return null;
    case 'resourcegroup':
      return {
        id: `/subscriptions/${context.subscriptionId ?? '00000000-0000-0000-0000-000000000000'}/resourceGroups/${context.resourceGroup ?? 'rg'}`,
        name: context.resourceGroup ?? 'rg',
        location: context.location ?? 'westeurope',
      };
    case 'subscription':
      return {
        id: `/subscriptions/${context.subscriptionId ?? '00000000-0000-0000-0000-000000000000'}`,
        subscriptionId: context.subscriptionId ?? '00000000-0000-0000-0000-000000000000',
      };
    case 'uniquestring':
      // ARM's is a 13-character base-32 hash; any stable value of that shape serves a test.
      return createHash('sha256').update(values.map(text).join('|')).digest('hex').slice(0, 13);
    case 'json':
      return JSON.parse(text(first ?? 'null')) as ArmValue;
    default:
      throw new Error(`the ARM function ${name}() is not supported by this evaluator`);
  }
}
