/** `{ [key]: value }` when the setting has a non-blank value, `{}` otherwise: optional options spread as given. */
export function definedSetting<K extends string>(key: K, value: string | undefined): { [P in K]?: string } {
  return value?.trim() ? ({ [key]: value } as { [P in K]?: string }) : {};
}
