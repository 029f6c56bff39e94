import type { Connection } from 'rhea';

/**
 * The host name a client put in its AMQP `open` (the SDK sends its namespace's fully qualified name): the host
 * Azure's error texts name, as in `sb://<host>/<path>`. Undefined when the client sent none.
 */
export function clientHostOf(connection: Connection): string | undefined {
  const open = (connection as unknown as { remote?: { open?: { hostname?: unknown } } }).remote?.open;
  return typeof open?.hostname === 'string' && open.hostname !== '' ? open.hostname : undefined;
}
