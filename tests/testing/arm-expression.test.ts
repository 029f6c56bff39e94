import { describe, expect, it } from 'vitest';
import { evaluateTemplateValue } from '../../testing/arm/expression';
import type { ArmContext, ArmValue } from '../../testing/arm/expression';

const context = (overrides: Partial<ArmContext> = {}): ArmContext => ({
  parameters: { name: 'azl', size: 2, settings: { B: '2', a: '1' } },
  variables: { greeting: "[format('hello {0}', parameters('name'))]", list: [1, 2, 3] },
  reference: (id: string): ArmValue => {
    if (id.endsWith('/deployments/mod')) return { outputs: { host: { value: 'h.example' } } };
    throw new Error(`unexpected reference ${id}`);
  },
  subscriptionId: 'sub',
  resourceGroup: 'rg',
  ...overrides,
});
const evaluate = (value: unknown, overrides?: Partial<ArmContext>): ArmValue =>
  evaluateTemplateValue(value, context(overrides));

describe('the ARM expression evaluator of the test kit', () => {
  it('keeps literals, unescapes [[ and evaluates bracketed expressions inside objects and arrays', () => {
    expect(
      evaluate({ a: 'plain', b: '[[not an expression]', c: ["[concat('x', 'y')]", 3, true, null] }),
    ).toEqual({
      a: 'plain',
      b: '[not an expression]',
      c: ['xy', 3, true, null],
    });
  });

  it("reads parameters, variables (themselves expressions) and quoted strings with ''", () => {
    expect(evaluate("[concat(variables('greeting'), ' it''s ', string(parameters('size')))]")).toBe(
      "hello azl it's 2",
    );
  });

  it('follows property access and indexing on references, and builds child resource ids', () => {
    expect(
      evaluate(
        "[reference(resourceId('Microsoft.Resources/deployments', 'mod'), '2025-04-01').outputs.host.value]",
      ),
    ).toBe('h.example');
    expect(evaluate("[variables('list')[1]]")).toBe(2);
    expect(evaluate("[resourceId('Microsoft.Storage/storageAccounts/blobServices', 'st', 'default')]")).toBe(
      '/subscriptions/sub/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/st/blobServices/default',
    );
  });

  it('evaluates only the branch if() takes', () => {
    expect(evaluate("[if(greater(parameters('size'), 1), 'big', reference('nowhere'))]")).toBe('big');
    expect(() => evaluate("[if(equals(parameters('size'), 1), 'one', reference('nowhere'))]")).toThrow(
      /unexpected reference nowhere/,
    );
  });

  it('runs filter lambdas, items() and property copy loops', () => {
    expect(evaluate("[filter(variables('list'), lambda('n', greater(lambdaVariables('n'), 1)))]")).toEqual([
      2, 3,
    ]);
    expect(
      evaluate({
        copy: [
          {
            name: 'env',
            count: "[length(items(parameters('settings')))]",
            input: { name: "[items(parameters('settings'))[copyIndex('env')].key]" },
          },
        ],
        image: 'x',
      }),
    ).toEqual({ image: 'x', env: [{ name: 'a' }, { name: 'B' }] });
  });

  it('replaces every occurrence, joins arrays and combines conditions with or() and and()', () => {
    expect(evaluate("[replace('a-X-b-X', 'X', parameters('name'))]")).toBe('a-azl-b-azl');
    expect(evaluate("[join(createArray('builds', 'publish'), ''', ''')]")).toBe("builds', 'publish");
    expect(evaluate("[or(empty(createArray()), not(empty('')))]")).toBe(true);
    expect(evaluate("[or(false(), empty('x'))]")).toBe(false);
    expect(evaluate("[and(true(), greater(parameters('size'), 1))]")).toBe(true);
    expect(evaluate("[and(true(), empty('x'))]")).toBe(false);
  });

  it('splits an id into its parts and builds ids of resources in another group', () => {
    const id = '/subscriptions/s2/resourceGroups/rg-images/providers/Microsoft.Compute/galleries/g1';
    expect(evaluate(`[split('${id}', '/')[4]]`)).toBe('rg-images');
    expect(evaluate(`[split('${id}', '/')[8]]`)).toBe('g1');
    expect(
      evaluate(
        "[extensionResourceId('/subscriptions/s1/resourceGroups/rg', 'Microsoft.ManagedIdentity/userAssignedIdentities', 'id-azl')]",
      ),
    ).toBe(
      '/subscriptions/s1/resourceGroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-azl',
    );
  });

  it('refuses what it does not know, naming it, rather than guess', () => {
    expect(() => evaluate("[listKeys('x', '2025-01-01')]")).toThrow(/listkeys\(\) is not supported/);
    expect(() => evaluate("[parameters('missing')]")).toThrow(/no value for parameter missing/);
    expect(() => evaluate("[concat('a']")).toThrow(/expected '\)'/);
  });
});
