/**
 * JSON in table properties. A string property holds at most 64 KiB (32 K UTF-16 characters), an entity
 * 1 MiB: a longer document is split over `name0`, `name1`, … and joined again on read.
 */
const CHUNK = 30_000;

export function jsonProperties(name: string, value: unknown): Record<string, string | number> {
  const text = JSON.stringify(value);
  const props: Record<string, string | number> = { [`${name}Chunks`]: Math.ceil(text.length / CHUNK) || 1 };
  for (let i = 0, part = 0; i < Math.max(text.length, 1); i += CHUNK, part++)
    props[`${name}${part}`] = text.slice(i, i + CHUNK);
  return props;
}

export function readJsonProperty(entity: Readonly<Record<string, unknown>>, name: string): unknown {
  const chunks = Number(entity[`${name}Chunks`] ?? 0);
  let text = '';
  for (let part = 0; part < chunks; part++) text += String(entity[`${name}${part}`] ?? '');
  return text === '' ? undefined : (JSON.parse(text) as unknown);
}
