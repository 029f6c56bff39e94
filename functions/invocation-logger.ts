import type { InvocationContext } from '@azure/functions';
import type { LogFields, Logger } from '../shared/logger';

/**
 * The logger of one invocation: the services' structured logger bound to the function name and invocation
 * id (and to whatever else names the invocation, such as a message id), so every line it writes says which
 * run wrote it.
 *
 * Functions log through this and never through the InvocationContext's own `log`/`warn`/`error`: those take
 * text only (the Functions worker joins their arguments with `util.format` into one string), so a metadata
 * object would end up inside the message and no two lines would share a message. The structured logger keeps
 * the fixed message and its fields apart. The JSON logger the Azure entry and the local host compose writes
 * one JSON object per line, `{"msg": "build handled", "component": ..., "messageId": ...}`, so lines group by
 * `msg` and each field can be queried on its own (in Application Insights, where the host collects the
 * worker's output: `traces | extend line = parse_json(message) | summarize count() by tostring(line.msg)`).
 * A message is a constant; whatever varies goes into the fields.
 */
export function invocationLogger(base: Logger, context: InvocationContext, fields: LogFields = {}): Logger {
  return base.child({ functionName: context.functionName, invocationId: context.invocationId, ...fields });
}
