import type { HttpFunction } from '../../../functions/table';
import { compileRoute } from './routes';
import type { CompiledRoute } from './routes';

/** Where a request lands: a function with its route parameters, a path with other methods, or nowhere. */
export type RouteResolution =
  | { readonly kind: 'found'; readonly fn: HttpFunction; readonly params: Record<string, string> }
  | { readonly kind: 'method-not-allowed'; readonly allow: readonly string[] }
  | { readonly kind: 'not-found' };

export interface HttpRouter {
  resolve(method: string, path: string): RouteResolution;
}

/**
 * Routes are tried most specific first (literal segments before parameters, then declaration order), as
 * ASP.NET Core does, so `builds/latest` wins over `builds/{id}`. A path that matches only under other
 * methods is a 405 naming them; a function with an empty `methods` list accepts every method.
 */
export function createHttpRouter(functions: readonly HttpFunction[]): HttpRouter {
  const routes = functions
    .map((fn, order) => ({ fn, order, route: compileRoute(fn.route) }))
    .sort((a, b) => comparePrecedence(a.route, b.route) || a.order - b.order);

  return {
    resolve(method, path) {
      const allow = new Set<string>();
      const upper = method.toUpperCase();
      for (const { fn, route } of routes) {
        const params = route.match(path);
        if (!params) continue;
        if (fn.methods.length === 0 || fn.methods.includes(upper as HttpFunction['methods'][number])) {
          return { kind: 'found', fn, params };
        }
        for (const m of fn.methods) allow.add(m);
      }
      return allow.size > 0 ? { kind: 'method-not-allowed', allow: [...allow] } : { kind: 'not-found' };
    },
  };
}

function comparePrecedence(a: CompiledRoute, b: CompiledRoute): number {
  const length = Math.max(a.precedence.length, b.precedence.length);
  for (let i = 0; i < length; i++) {
    // A missing segment sorts after any present one: the longer template is the more specific.
    const diff = (a.precedence[i] ?? 5) - (b.precedence[i] ?? 5);
    if (diff !== 0) return diff;
  }
  return 0;
}
