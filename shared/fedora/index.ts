/**
 * Fedora messages → UpstreamEvent: the public surface of this folder. `normalize` / `normalizeMany` are the
 * entry points; the schemas are exported for callers that validate a form or a body on their own.
 */
export { normalize, normalizeMany } from './normalize';
export type { NormalizeOptions } from './normalize';
export type { NormalizeOutcome, UpstreamEvent, UpstreamBuild, UpstreamEventKind } from './upstream-event';
export { upstreamEventSchema, upstreamEventKinds } from './upstream-event';
export {
  datagrepperV1RecordSchema,
  datagrepperV2MessageSchema,
  fedoraMessagingMessageSchema,
} from './envelope-forms';
export type { SerializedForm } from './envelope-forms';
export { buildStateChangeBody, repoDoneBody, tagBody } from './koji-schemas';
export { buildGroupCompleteBody, updateMessageBody } from './bodhi-schemas';
export { gitReceiveBody, pagureGitReceiveBody } from './dist-git-events';
export { versionUpdateV1Body, versionUpdateV2Body } from './anitya-events';
export { packageStateChangeBody } from './koschei-events';
export { composeStatusBody } from './pungi-events';
export { releaseFromBodhi, releaseFromBranch, releaseFromTag } from './release-mapping';
export type { ReleaseOptions } from './release-mapping';
