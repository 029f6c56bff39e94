import type { z } from 'zod';
import { readSetting } from './shapes';

/** One problem with one app setting, named exactly as it appears in the app settings. */
export interface SettingIssue {
  readonly setting: string;
  readonly problem: string;
}

export type Env = Readonly<Record<string, string | undefined>>;

/**
 * Collects every problem instead of stopping at the first, so one failed start names everything to fix.
 * `optional` reads and validates a setting; it returns undefined both when the setting is absent and when
 * it is malformed (the problem is recorded), so callers check `present` to tell the two apart.
 */
export class SettingsReader {
  readonly issues: SettingIssue[] = [];

  constructor(private readonly env: Env) {}

  present(name: string): boolean {
    return readSetting(this.env, name) !== undefined;
  }

  optional<T>(name: string, schema: z.ZodType<T>): T | undefined {
    const text = readSetting(this.env, name);
    if (text === undefined) return undefined;
    const parsed = schema.safeParse(text);
    if (parsed.success) return parsed.data;
    this.report(name, parsed.error.issues[0]?.message ?? 'is malformed');
    return undefined;
  }

  report(setting: string, problem: string): void {
    this.issues.push({ setting, problem });
  }

  /** Whether any problem was reported for a setting whose name starts with `prefix`. */
  hasIssuesFor(prefix: string): boolean {
    return this.issues.some((issue) => issue.setting === prefix || issue.setting.startsWith(`${prefix}__`));
  }
}
