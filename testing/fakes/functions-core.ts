import Module from 'node:module';

/**
 * A stand-in for `@azure/functions-core`, the module the Functions worker injects into the app's process.
 * `@azure/functions` requires it lazily on the first `app.*` call; when the require fails the library goes
 * to "test mode" and drops every registration. Answering that require with this fake instead lets a test see
 * exactly what the real host would receive: each function's binding metadata and its callback.
 *
 * It must be in place before `@azure/functions` is first loaded (the library caches the core module, or its
 * absence, on first use). Importing this module installs it, so make it the FIRST import of the test file:
 * ES imports evaluate in declaration order, hence before any later import reaches `@azure/functions`. Vitest
 * runs each test file in its own forked process, so the hook does not leak between files.
 */
export interface CoreFunctionMetadata {
  readonly name: string;
  readonly bindings: Record<string, Record<string, unknown>>;
  readonly retryOptions?: unknown;
}

export type CoreCallback = (...args: unknown[]) => unknown;

export interface CapturedRegistration {
  readonly metadata: CoreFunctionMetadata;
  readonly callback: CoreCallback;
  disposed: boolean;
}

export interface FakeFunctionsCore {
  readonly registrations: CapturedRegistration[];
  readonly hooks: { readonly name: string; readonly callback: CoreCallback }[];
  readonly logs: { readonly level: string; readonly category: string; readonly message: string }[];
  /** The `ProgrammingModel` the library handed to the worker. */
  programmingModel: unknown;
  /** The registration of `name`; throws when there is none, so a missing function fails the test clearly. */
  get(name: string): CapturedRegistration;
}

const MODULE_NAME = '@azure/functions-core';
const INSTALLED = Symbol.for('azl-rebuilder.fake-functions-core');

type LoadFn = (request: string, parent: unknown, isMain: boolean) => unknown;
const loader = Module as unknown as { _load: LoadFn };
const registry = globalThis as typeof globalThis & { [INSTALLED]?: FakeFunctionsCore };

/** Installs the `Module._load` hook (once per process) and returns the fake's capture. */
export function installFakeFunctionsCore(): FakeFunctionsCore {
  const existing = registry[INSTALLED];
  if (existing) return existing;

  const fake: FakeFunctionsCore = {
    registrations: [],
    hooks: [],
    logs: [],
    programmingModel: undefined,
    get(name) {
      const found = this.registrations.find((r) => r.metadata.name === name);
      if (!found) throw new Error(`no function '${name}' was registered`);
      return found;
    },
  };
  // The surface @azure/functions 4.16.5 uses: setProgrammingModel, registerFunction, registerHook, log.
  const coreApi = {
    setProgrammingModel(model: unknown): void {
      fake.programmingModel = model;
    },
    registerFunction(metadata: CoreFunctionMetadata, callback: CoreCallback) {
      const registration: CapturedRegistration = { metadata, callback, disposed: false };
      fake.registrations.push(registration);
      return { dispose: () => void (registration.disposed = true) };
    },
    registerHook(name: string, callback: CoreCallback) {
      const hook = { name, callback };
      fake.hooks.push(hook);
      return { dispose: () => void fake.hooks.splice(fake.hooks.indexOf(hook), 1) };
    },
    log(level: string, category: string, message: string): void {
      fake.logs.push({ level, category, message });
    },
  };

  const original = loader._load;
  loader._load = function (request, parent, isMain) {
    if (request === MODULE_NAME) return coreApi;
    return original.call(this, request, parent, isMain);
  };
  registry[INSTALLED] = fake;
  return fake;
}

/** The process-wide fake, installed as a side effect of importing this module. */
export const fakeFunctionsCore: FakeFunctionsCore = installFakeFunctionsCore();
