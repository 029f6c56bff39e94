import { buildRequestSchema, buildResultMessageId, buildResultSchema } from '../../../shared/build';
import type { BuildRequest, BuildResult } from '../../../shared/build';
import { PipelineError } from '../../../shared/errors';
import { queues } from '../../../shared/messaging/entities';
import type { Env } from '../../../shared/settings/load-settings';
import type { MessageSender, OutgoingMessage } from '../../servicebus';
import { BUILD_REQUEST_ENV, BUILD_RESULTS_QUEUE_ENV } from './start-execution';

/**
 * The container's side of a cloud build: it finds its build request in `AZL_BUILD_REQUEST` and, at the end,
 * reports the outcome on the queue named by `AZL_BUILD_RESULTS_QUEUE` (default `build-results`).
 */
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Decodes and validates `AZL_BUILD_REQUEST`; a permanent `build.request-invalid` names the variable. */
export function readBuildRequestFromEnv(env: Env): BuildRequest {
  const reject = (problem: string, detail: Record<string, string> = {}): never => {
    throw PipelineError.permanent('build.request-invalid', `${BUILD_REQUEST_ENV}: ${problem}`, {
      variable: BUILD_REQUEST_ENV,
      ...detail,
    });
  };
  const text = env[BUILD_REQUEST_ENV]?.trim();
  if (!text) return reject('missing (the build request, base64-encoded JSON)');
  if (!BASE64.test(text)) return reject('is not base64');
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(text, 'base64').toString('utf8'));
  } catch {
    return reject('is base64 but not of JSON');
  }
  const parsed = buildRequestSchema.safeParse(json);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const field = issue?.path.map(String).join('.') || '(the request)';
  return reject(`is not a build request: ${field}: ${issue?.message ?? 'invalid'}`, { field });
}

/** The queue the container reports to. */
export function buildResultsQueueFromEnv(env: Env): string {
  return env[BUILD_RESULTS_QUEUE_ENV]?.trim() || queues.buildResults.name;
}

/**
 * The `build-results` message for `result`, validated. Its id `<fingerprint>:<executionName>` makes a report
 * that is sent again (the container retrying after a lost acknowledgement) a duplicate the broker drops.
 */
export function buildResultMessage(result: BuildResult): OutgoingMessage {
  const parsed = buildResultSchema.safeParse(result);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue?.path.map(String).join('.') || '(the result)';
    throw PipelineError.permanent(
      'build.result-invalid',
      `build result for ${String(result.component)}: ${field}: ${issue?.message ?? 'invalid'}`,
      { component: String(result.component), field },
    );
  }
  const valid = parsed.data;
  return {
    messageId: buildResultMessageId(valid),
    body: valid,
    subject: `build.${valid.state}`,
    correlationId: valid.planId,
    applicationProperties: { component: valid.component, state: valid.state },
  };
}

/** Sends the result through the Service Bus adapter (a sender made for the results queue). */
export async function reportBuildResult(
  sender: Pick<MessageSender, 'send'>,
  result: BuildResult,
): Promise<{ messageId: string }> {
  const message = buildResultMessage(result);
  await sender.send(message);
  return { messageId: message.messageId };
}
