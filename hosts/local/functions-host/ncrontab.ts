import { CronExpressionParser } from 'cron-parser';
import { PipelineError, describeError } from '../../../shared/errors';

/**
 * NCRONTAB schedules as the Functions timer trigger reads them: exactly six fields,
 * `{second} {minute} {hour} {day} {month} {day-of-week}`, evaluated in UTC (Flex Consumption has no
 * WEBSITE_TIME_ZONE). cron-parser does the arithmetic; this module narrows its dialect to NCRONTAB's, since
 * cron-parser also accepts five fields, `@daily` macros and Quartz extras (`L`, `#`, `H`) the real host would
 * reject at startup.
 */
export interface NcrontabSchedule {
  readonly expression: string;
  /** The first occurrence strictly after `after`. */
  next(after: Date): Date;
}

/** A field token: `*`, `?`, a number or a three-letter month/day name; combined with `,`, `-` and `/`. */
const TOKEN = /^(\*|\?|\d+|[A-Za-z]{3})$/;

export function parseNcrontab(functionName: string, schedule: string): NcrontabSchedule {
  const invalid = (reason: string, cause?: unknown): PipelineError =>
    PipelineError.permanent(
      'host.invalid-schedule',
      `timer function '${functionName}' has an invalid schedule '${schedule}': ${reason}`,
      { functionName, schedule },
      cause,
    );

  const fields = schedule.trim().split(/\s+/);
  if (fields.length !== 6) {
    throw invalid(
      `expected 6 fields ({second} {minute} {hour} {day} {month} {day-of-week}), got ${fields.length}`,
    );
  }
  for (const field of fields) {
    if (!field.split(/[,/-]/).every((token) => TOKEN.test(token))) {
      throw invalid(`unsupported field '${field}'`);
    }
  }
  const expression = fields.join(' ');
  try {
    // Parse once up front so a bad value (e.g. second 61) fails at start, not at the first tick.
    CronExpressionParser.parse(expression, { tz: 'UTC' }).next();
  } catch (error) {
    throw invalid(describeError(error), error);
  }
  return {
    expression,
    next: (after) =>
      CronExpressionParser.parse(expression, { currentDate: after, tz: 'UTC' }).next().toDate(),
  };
}
