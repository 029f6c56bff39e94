/**
 * Every error code of the pipeline, in one place: the codes `PipelineError`s carry and the codes the HTTP
 * functions (and the local functions host) answer with. Each says whether retrying can help and, where an
 * HTTP function answers it, with which status. `PipelineError` takes its codes from here, so a misspelt or
 * unknown code does not compile, and `PipelineError.transient` refuses a code that is never retryable (and
 * `permanent` one that always is). The README's "Error codes" table is generated from this list
 * (`npm run docs:errors`).
 *
 * Codes are stable: build records, dead-letter reasons and message failures store them and callers match
 * them, so a renamed code leaves the stored ones under the old name. Adding a code is free.
 */
export interface ErrorCodeInfo {
  /**
   * `true`: a failure of the surroundings, retrying later can succeed; `false`: the same input fails the same
   * way. `'either'`: the failure decides (the meaning says how), so both factories accept the code.
   */
  readonly retryable: boolean | 'either';
  /**
   * The status of the HTTP answer that carries this code: the code's own where a function answers it by code;
   * 503 (with `Retry-After`) for every retryable code (`functions/problem.ts` `unavailable`). Absent: no HTTP
   * function answers it, and should it escape one the host answers 500.
   */
  readonly httpStatus?: number;
  /** One line for people: what happened. */
  readonly meaning: string;
}

const permanent = (meaning: string, httpStatus?: number) =>
  ({ retryable: false, meaning, ...(httpStatus === undefined ? {} : { httpStatus }) }) as const;
const transient = (meaning: string) => ({ retryable: true, meaning, httpStatus: 503 }) as const;
const either = (meaning: string, httpStatus?: number) =>
  ({ retryable: 'either', meaning, ...(httpStatus === undefined ? {} : { httpStatus }) }) as const;

export const errorCodes = {
  // Azure Resource Manager, for the Container Apps Job builder (infra/builders/container-apps/).
  'arm.aborted': transient('an ARM request was aborted by its caller'),
  'arm.bad-request': permanent('ARM answered 400: the request is malformed'),
  'arm.conflict': permanent('ARM answered 409: the job is in a state that refuses the request'),
  'arm.execution-wait-timeout': transient('a job execution did not end within the time waited for it'),
  'arm.forbidden': permanent('ARM answered 403: the identity has no role assignment for the job'),
  'arm.malformed-response': permanent('ARM answered something that is not what the operation promises'),
  'arm.network': transient('an ARM request got no answer: DNS, a refused or a reset connection'),
  'arm.not-found': permanent('ARM answered 404: the job or the execution does not exist'),
  'arm.rejected': permanent('ARM answered another 4xx'),
  'arm.start-pending': transient('a job start named no execution after polling its Location'),
  'arm.throttled': transient('ARM answered 429 (context.retryAfterMs when it said how long to wait)'),
  'arm.timeout': transient('an ARM request took longer than its time limit'),
  'arm.token-unavailable': transient('no ARM access token could be obtained'),
  'arm.unauthorized': permanent('ARM answered 401'),
  'arm.unavailable': transient('ARM answered 408 or 5xx'),
  'arm.wait-aborted': transient('waiting for a job execution was stopped'),

  // Azure Compute Gallery registration of preview VM images (infra/images/compute-gallery.ts).
  'gallery.conflict': permanent('the gallery answered 409, or the image version exists from another blob'),
  'gallery.definition-mismatch': permanent(
    'the image definition exists with another generation, architecture or OS',
  ),
  'gallery.invalid-version': permanent('an image version name is not Major.Minor.Patch of 32-bit numbers'),
  'gallery.not-found': permanent('the gallery (or its resource group or subscription) does not exist'),
  'gallery.provisioning-failed': permanent('the gallery could not create the image version from the blob'),
  'gallery.rejected': permanent('the gallery answered 400 or another 4xx: the request is malformed'),
  'gallery.unauthorized': permanent('the gallery answered 401 or 403: the identity has no role on it'),
  'gallery.unavailable': transient('the gallery answered 408, 429 or 5xx, or no answer or token came'),
  'gallery.version-pending': transient('an identical image version exists and is still being created'),

  // The local runtime (infra/local/): Azurite, the local Service Bus broker, RabbitMQ, the Fedora fixture.
  'azurite.bad-location': permanent('the Azurite data folder cannot be used'),
  'azurite.not-installed': permanent('the azurite package (or its bin) is missing'),
  'azurite.not-ready': transient('Azurite did not become ready'),
  'azurite.port-in-use': permanent('an Azurite port is already in use'),
  'broker.invalid-rule': permanent(
    'a subscription rule in shared/messaging/entities.ts has a malformed SQL filter or action',
  ),
  'broker.certificate-failed': permanent("openssl could not make the local broker's TLS certificate"),
  'broker.listen-failed': permanent('the local Service Bus broker could not listen'),
  'broker.port-in-use': permanent("the local Service Bus broker's port is already in use"),
  'fixture.sources-mismatch': permanent("a fixture package's sources file does not match its tarballs"),
  'rabbitmq.not-installed': permanent('a RabbitMQ program was not found'),
  'rabbitmq.not-ready': transient('RabbitMQ did not become ready'),
  'rabbitmq.port-in-use': permanent('the RabbitMQ port is already in use'),
  'rabbitmq.stopped': permanent('this RabbitMQ instance was stopped and cannot start again'),

  // Building (shared/build/, shared/build-worker/, infra/builders/).
  'build.artifact-missing': permanent('a built package has no uploaded artifact'),
  'build.bad-plan': permanent('the stored plan whose next wave is due has no planned items'),
  'build.cancelled': transient('the build was cancelled by the worker'),
  'build.compile-error': permanent('%build, %install or %check failed'),
  'build.dependency-failed': permanent(
    'not built: a component on its rebuild path failed in an earlier wave (the fix rebuilds it)',
  ),
  'build.dispatch-failed': transient('the build could not be handed to its builder'),
  'build.failed': permanent('rpmbuild failed otherwise, or wrote no source package'),
  'build.invalid-input': permanent('a macro or bcond of the component cannot be passed to rpmbuild'),
  'build.log-unreadable': transient('the build log cannot be read'),
  'build.not-configured': transient('this instance has no build worker (AZL_DISTRO_DIR is not set)'),
  'build.not-started': transient('rpmbuild did not start'),
  'build.prepare-failed': transient('preparing the build (sources, render) failed unexpectedly'),
  'build.request-invalid': permanent('AZL_BUILD_REQUEST is missing or not a build request'),
  'build.result-invalid': permanent('a build result does not fit its schema'),
  'build.spec-error': permanent('spec does not parse, %prep failed, a source is missing or %files is wrong'),
  'build.synthetic-failure': permanent(
    'the synthetic builder failed the build on purpose (AZL_SYNTHETIC_FAILURE_RATE)',
  ),
  'build.timeout': permanent('the build reached its time limit and was stopped'),
  'build.unreadable-package': permanent('rpm -qp cannot read a built package'),
  'build.workdir-busy': transient("another build holds the component's work folder"),

  // Fedora: datagrepper catch-up, the AMQP bridge, HTTP ingest, replay.
  'catch-up.corrupt-checkpoint': permanent('the stored catch-up checkpoint has no valid position'),
  'catch-up.disabled': permanent('the datagrepper catch-up is switched off (AZL_FEDORA_CATCH_UP=off)', 409),
  'catch-up.invalid-checkpoint': permanent('not a catch-up checkpoint'),
  'catch-up.invalid-options': permanent('the catch-up options are invalid'),
  'catch-up.invalid-window': permanent('a catch-up window is not of whole seconds'),
  'datagrepper.incomplete-window': transient('a datagrepper window kept changing while it was read'),
  'datagrepper.invalid-base-url': permanent('the datagrepper base URL is refused'),
  'datagrepper.invalid-options': permanent('the datagrepper client options are invalid'),
  'datagrepper.malformed-response': transient('datagrepper answered a page that does not fit its schema'),
  'datagrepper.rejected': permanent('datagrepper answered 4xx'),
  'datagrepper.unavailable': transient('datagrepper failed every attempt'),
  'fedora-bridge.invalid-config': permanent('the AMQP bridge configuration is invalid'),
  'fedora-bridge.tls-file': permanent('a TLS file of the AMQP bridge cannot be read'),
  'ingest.invalid-json': permanent('the body is not JSON', 400),
  'ingest.too-large': permanent('the body is larger than 1 MiB', 413),
  'replay.bad-answer': permanent('the ingest endpoint answered 202 without the expected results'),
  'replay.refused': permanent('the ingest endpoint refused the messages'),
  'replay.unavailable': transient('the ingest endpoint stayed unavailable through every attempt'),
  'replay.unreachable': transient('the ingest endpoint cannot be reached'),

  // The dashboard page (functions/dashboard.ts, infra/dashboard/).
  'dashboard.unknown-asset': permanent('the dashboard serves no file of that name', 404),

  // Dependency data (shared/deps/, infra/deps/).
  'deps.malformed': permanent('repository metadata or the dependency index cannot be read'),
  'deps.too-many-arches': permanent('a dependency index has more arches than it has slots'),
  'deps.unavailable': transient('repository metadata cannot be fetched now'),

  // The distro tree (shared/distro/).
  'distro.duplicate-component': permanent('a component is defined in two files'),
  'distro.duplicate-component-group': permanent('a component group is defined in two files'),
  'distro.duplicate-image': permanent('an image is defined in two files'),
  'distro.duplicate-package': permanent('a package is in two package groups'),
  'distro.duplicate-package-group': permanent('a package group is defined in two files'),
  'distro.duplicate-test-suite': permanent('a test suite is defined in two files'),
  'distro.include-cycle': permanent('a file is included more than once'),
  'distro.invalid': permanent('a value of the distro tree is invalid'),
  'distro.invalid-overlay': permanent(
    'an overlay breaks the rules azldev checks at load (required fields, paths, globs)',
  ),
  'distro.missing-include': permanent('an include names no file'),
  'distro.missing-root': permanent('the folder has no azldev.toml'),
  'distro.toml-syntax': permanent('a file is not valid TOML'),
  'distro.unknown-component': permanent('no component has that name'),
  'distro.unknown-distro': permanent('a referenced distro or version is not defined'),
  'distro.unknown-group-member': permanent('a component group names an undefined component'),
  'distro.unknown-key': permanent('a key that azldev does not know'),

  // Image definitions: the kiwi descriptions of the distro tree's images (shared/images/, infra/images/).
  'image.definition-unreadable': permanent("an image's kiwi description file is missing or cannot be read"),
  'image.invalid-definition': permanent('a kiwi description is not XML, or a value is malformed or missing'),
  'image.unknown-image': permanent(
    'no image of that name in the distro tree, or none with builds (images API)',
    404,
  ),
  'image.unknown-profile': permanent('an image selects a profile its kiwi description does not declare'),
  'image.unsupported-setting': permanent('a kiwi element, attribute or value the image model does not carry'),
  // Built images: manifest and SBOM.
  'image.manifest-invalid': permanent('an image manifest does not fit its schema (names the field)'),
  'image.rpmdb-missing': permanent('an image root has no rpm database where it was looked for'),
  'image.rpmdb-unreadable': permanent(
    "rpm cannot read an image root's rpm database, or printed something else",
  ),
  // Disk images: the GPT, the fixed VHD footer (shared/images/disk/) and the disk image writer (infra/images/).
  'image.disk-layout-invalid': permanent(
    'a GPT disk layout is invalid (the message says which size, name or GUID)',
  ),
  'image.partition-image-too-large': permanent('a partition image is larger than the partition it goes into'),
  'image.vhd-footer-invalid': permanent('512 bytes are not a valid VHD footer (cookie, checksum or a field)'),
  // Cloud image builds: a Container Apps Job execution each (infra/images/container-apps-image-dispatcher.ts).
  'image.build-execution-failed': permanent(
    'an image build execution ended Failed or Degraded (its logs say why)',
  ),
  'image.build-execution-stopped': transient('an image build execution was stopped before it ended'),
  'image.job-request-invalid': permanent(
    'an image build execution got no valid request (AZL_IMAGE_JOB_REQUEST)',
  ),
  'image.kiwi-failed': permanent(
    'kiwi-ng could not start or exited non-zero (the message ends with its output)',
  ),
  'image.kiwi-output-missing': permanent('kiwi-ng exited 0 but left no single .vhd in its target folder'),
  'image.repository-url-invalid': permanent(
    'a repository URL kiwi-ng --add-repo cannot take (it holds a comma)',
  ),
  // The local image builder (infra/images/local-image-builder.ts, `azl-rebuilder image build`).
  'image.missing-packages': permanent('requested packages are in no repository (context.missing names them)'),
  'image.repository-unreachable': transient("a repository's metadata could not be read (dnf or repomd.xml)"),
  'image.repository-no-revision': permanent("a repository's repomd.xml has no whole-number <revision>"),
  'image.install-failed': permanent(
    'dnf could not install the packages into the image root (message says why)',
  ),
  'image.filesystem-failed': permanent(
    'mkfs.ext4, mkfs.vfat or mcopy failed (most often: the files do not fit)',
  ),

  // Pipeline events on the `events` topic (shared/events/).
  'events.invalid-payload': permanent('a pipeline event does not fit its catalogue schema'),

  // The Event Grid topic every event is also handed to (infra/events/, AZL_EVENTGRID_TOPIC_ENDPOINT).
  'eventgrid.failed': permanent('an unexpected Event Grid client failure, not an HTTP answer'),
  'eventgrid.rejected': permanent('Event Grid answered another 4xx: the event or topic is refused'),
  'eventgrid.unauthorized': transient(
    'Event Grid answered 401/403: the Data Sender role is missing or not in effect',
  ),
  'eventgrid.unavailable': transient('Event Grid answered 408/429/5xx, no answer, or no token'),

  // The local functions host (hosts/local/functions-host/) and its HTTP answers.
  'host.invalid-route': permanent('a route template is invalid'),
  'host.invalid-schedule': permanent("a timer function's schedule is invalid"),
  'host.http-instance-failed': permanent(
    "the local runtime's HTTP instance (a worker thread) failed to start",
  ),
  'host.listen-failed': permanent('the local host could not listen'),
  'host.missing-connection': permanent('a function uses a Service Bus connection that is not configured'),
  'host.no-http': permanent('an HTTP function was given to a host that serves no HTTP'),
  'host.port-in-use': permanent("the local host's port is already in use"),
  'host_config.invalid': permanent('host.json is invalid'),
  'host_config.unreadable': permanent('host.json cannot be read'),
  'http.bad-request': permanent('the request target or Host is malformed', 400),
  'http.body-too-large': permanent('the request body exceeds the limit', 413),
  'http.handler-failed': permanent('the function failed; the host log has the request id', 500),
  'http.host-failed': permanent('the local host itself failed', 500),
  'http.method-not-allowed': permanent('the route has no function for the method', 405),
  'http.not-found': permanent('no function serves the route', 404),
  'http.unauthorized': permanent('the function needs a valid key (x-functions-key or ?code=)', 401),

  // Preview VM images (shared/images/, infra/images/): naming and uploading a fixed VHD as a page blob.
  'image.invalid-name': permanent('an image name or version cannot be one segment of a blob name'),
  'image.page-range-invalid': permanent('a page write not 512-byte aligned or over 4 MiB (an uploader bug)'),
  'image.vhd-changed': transient(
    'the VHD file changed while it was uploaded; a retry sends what it holds now',
  ),
  'image.vhd-invalid': permanent(
    'a file to upload is no fixed VHD: not whole 512-byte sectors, or no footer',
  ),
  // Image builds: their records, publishing a built VHD and the images API (shared/images/image-*.ts).
  'image.invalid-transition': permanent('an image build record was asked to move to a state it cannot reach'),
  'image.no-local-pipeline': permanent(
    'image publish --local: no endpoints.json of a running local pipeline',
  ),
  'image.sbom-invalid': permanent('an SBOM file to publish is not SPDX 2.3 JSON'),
  'image.manifest-mismatch': permanent(
    "an image's manifest does not describe the VHD published with it (name, version, size or SHA-256)",
  ),
  'image.publish-failed': permanent('publishing an image failed in an unexpected way (the message says how)'),
  'image.version-taken': permanent(
    'that image version is already published, or being published, with other content',
  ),
  // Image build triggers (shared/images/image-trigger*.ts, functions/images-trigger.ts).
  'image.builds-not-configured': transient('this instance has no image trigger or no image builder'),
  // Image builds the trigger asks for (shared/images/image-build-service.ts).
  'image.no-repositories': permanent("no repository of the image's architecture is published yet"),
  'image.build-not-found': permanent('an image build execution names a version that has no build record'),
  'image.build-failed': permanent('an image build failed in an unexpected way (the message says how)'),

  // Messages and Service Bus (functions/, infra/servicebus/).
  'functions.unknown-subscription': permanent('a function names a subscription its topic does not define'),
  'message.invalid': permanent('a message body does not fit its schema'),
  'servicebus.entity-not-found': permanent('the queue, topic or subscription does not exist'),
  'servicebus.failed': either('any other Service Bus failure: retryable when the SDK says so'),
  'servicebus.invalid-message': permanent('an outgoing message is invalid'),
  'servicebus.invalid-request': permanent('an argument to the Service Bus adapter is invalid'),
  'servicebus.lock-lost': permanent('the message or session lock expired or was taken over'),
  'servicebus.message-too-large': permanent('the message is larger than the entity accepts'),
  'servicebus.session-locked': transient('another receiver holds the session'),
  'servicebus.unauthorized': permanent('Service Bus refused the credentials'),
  'servicebus.unavailable': transient('Service Bus is busy, timed out or unreachable, or no token'),

  // The API description (shared/openapi/, functions/api-description.ts).
  'openapi.invalid-description': permanent(
    'the API description does not fit the function table: a route, a path parameter or a schema',
  ),
  'openapi.undescribed-route': permanent('an HTTP route of the function table has no API description'),

  // Overlays (shared/overlays/, infra/overlays/).
  'overlay.archive-root-conflict': permanent('overlays on one source archive name different archive-roots'),
  'overlay.archive-unreadable': permanent(
    'a source archive an overlay edits is not a readable (compressed) tar',
  ),
  'overlay.archive-unsupported': permanent(
    'an archive overlay reached the renderer without the archive stage',
  ),
  'overlay.conditional-span': permanent('removing a spec section would cut an %if block that spans sections'),
  'overlay.binary-file': permanent('a text overlay targets a binary (not UTF-8) file'),
  'overlay.config': permanent('the overlays cannot be found for the component'),
  'overlay.drift': permanent('an overlay no longer applies to the upstream spec'),
  'overlay.path-escape': permanent("an overlay path escapes the component's folder"),
  'overlay.regex': permanent('an overlay regex cannot be used'),
  'overlay.source-missing': permanent('an overlay source file does not exist'),
  'overlay.spec-structure': permanent("a spec's %if/%endif do not pair up or a macro body does not end"),

  // Publishing RPM repositories (shared/publishing/, infra/publishing/) and RPM files (shared/rpm/).
  'publish.artifact-mismatch': permanent('an artifact differs from what its publish request says'),
  'publish.artifact-missing': permanent('an artifact its publish request names is not in storage'),
  'publish.bad-nevra': permanent('not a name-[epoch:]version-release.arch'),
  'publish.foreign-repository': permanent('repomd.xml was not written by the publisher'),
  'publish.lost-race': transient('another publisher kept committing the repository first'),
  'publish.state-invalid': permanent('the repository state does not fit its schema'),
  'publish.state-missing': transient('the repository state named by repomd.xml is missing'),
  'rpm.bad-magic': permanent('not an RPM file, or a header without its magic'),
  'rpm.corrupt-header': permanent('an RPM header is inconsistent'),
  'rpm.missing-tag': permanent('the RPM main header lacks a required tag'),
  'rpm.truncated': permanent('the RPM file ends inside its header'),
  'rpm.unreadable': permanent('the RPM file cannot be opened or read'),

  // Reconciling, settings, telemetry, the CLI's commands (hosts/cli/).
  'reconcile.bad-plan': permanent('a stored plan has no planned items'),
  'settings.invalid': permanent('the app settings are invalid or incomplete'),
  'telemetry.already_started': permanent('telemetry is already running'),
  'bridge.no-local-pipeline': permanent('bridge --local: no local pipeline runs (no endpoints.json)'),
  'start.invalid': permanent('the start options do not go together'),
  'webhooks.bad-answer': permanent('the webhook API answered something other than what the route promises'),
  'webhooks.listen-failed': permanent(
    'webhooks listen could not listen: the port is taken or cannot be bound',
  ),
  'webhooks.no-pipeline': permanent('webhooks: no --url, and no local pipeline runs (no endpoints.json)'),
  // Retryable when the API answered 429 or 5xx.
  'webhooks.refused': either('the webhook API answered an error (context: status, apiCode)'),
  'webhooks.unreachable': transient('the webhook API cannot be reached'),
  'worker.no-local-pipeline': permanent('worker --local: no local pipeline runs (no endpoints.json)'),
  'worker.not-configured': permanent('the worker command lacks AZL_DISTRO_DIR or a Service Bus connection'),

  // Source preparation (shared/sources/, infra/sources/).
  'sources.hash-mismatch': permanent('downloaded bytes differ from the declared hash'),
  'sources.invalid-name': permanent('a hostile or malformed name from input'),
  'sources.invalid-url': permanent('a hostile or malformed URL from input'),
  'sources.malformed': permanent('a dist-git sources line is in neither format'),
  'sources.not-found': permanent('lookaside or origin answered 404/410, or no such dist-git repository'),
  'sources.rejected': permanent('lookaside or origin answered another 4xx'),
  'sources.spec-missing': permanent('the checked-out commit has no spec named after the component'),
  'sources.unavailable': transient('unreachable host, 5xx/408/429, timeout or git transport failure'),
  'sources.unknown-ref': permanent('the branch or commit does not exist, or none precedes the snapshot'),

  // The status API (functions/status.ts, infra/status/).
  'status.invalid-query': permanent('a query parameter is invalid', 400),
  'status.invalid-token': permanent('the continuationToken was not issued by this list', 400),
  'status.not-configured': either('the services did not start, or this instance serves no status API', 503),
  'status.unknown-build': permanent('no build with that id', 404),
  'status.unknown-component': permanent('no component with that name', 404),
  'status.unknown-plan': permanent('no plan with that id', 404),

  // Storage (infra/storage/): blobs and tables.
  'storage.auth-failed': transient('no storage token could be obtained'),
  'storage.conflict': permanent('storage answered 409: the blob or entity exists'),
  'storage.copy-failed': transient('a copy did not succeed (server-side, or streamed at a wrong length)'),
  'storage.failed': permanent('an unexpected storage SDK failure or a broken response'),
  'storage.invalid-range': permanent('a ranged read outside the blob'),
  'storage.invalid-row': permanent(
    'a table row does not fit its catalogue schema (context: table, keys, field)',
  ),
  'storage.not-found': permanent('the blob, container, table or entity does not exist'),
  'storage.precondition-failed': permanent('storage answered 412: the ETag condition failed'),
  'storage.rejected': permanent('storage answered another 4xx'),
  'storage.unavailable': transient('storage answered 408/429/5xx, a copy is pending, or the network failed'),

  // Webhook delivery (shared/webhooks/, infra/webhooks/): secrets and signatures, the destination policy
  // and one delivery attempt.
  'webhook.bad-answer': transient('the receiver answered something that is not HTTP, or headers too large'),
  'webhook.connect-failed': transient('the receiver could not be reached: connection refused or unreachable'),
  'webhook.connection-reset': transient('the receiver reset or closed the connection before answering'),
  'webhook.destination-refused': permanent(
    'a webhook URL or an address it resolves to is refused (context: field, reason)',
    400,
  ),
  'webhook.dns-failed': transient("the receiver's host name did not resolve"),
  'webhook.invalid-event': permanent(
    'a CloudEvent id cannot be a webhook-id (missing, not ASCII, a space or a .)',
  ),
  'webhook.invalid-subscription': permanent(
    'a webhook subscription request is invalid; the message names the field',
    400,
  ),
  'webhook.unknown-subscription': permanent('no webhook subscription has this id', 404),
  'webhook.unknown-delivery': permanent("no delivery with this id in the endpoint's delivery log", 404),
  'webhook.endpoint-disabled': permanent('the webhook endpoint is disabled: enable it (PATCH) first', 409),
  'webhook.invalid-request': permanent(
    'a webhook delivery request is invalid (a query parameter); names it',
    400,
  ),
  'webhook.invalid-secret': permanent('not a webhook secret: whsec_ and the padded base64 of 24 to 64 bytes'),
  'webhook.not-configured': either(
    'the services did not start, or this instance keeps no webhook subscriptions',
    503,
  ),
  'webhook.timeout': transient('the delivery attempt did not get an answer within its time limit'),
  'webhook.tls-failed': transient("the receiver's TLS handshake or certificate failed verification"),
} satisfies Record<string, ErrorCodeInfo>;

/** A code of the catalogue. */
export type ErrorCode = keyof typeof errorCodes;

type RetryableOf<C extends ErrorCode> = (typeof errorCodes)[C]['retryable'];

/** Codes `PipelineError.permanent` accepts: never retryable, or retryable as the failure says. */
export type PermanentCode = { [C in ErrorCode]: RetryableOf<C> extends true ? never : C }[ErrorCode];

/** Codes `PipelineError.transient` accepts: always retryable, or retryable as the failure says. */
export type TransientCode = { [C in ErrorCode]: RetryableOf<C> extends false ? never : C }[ErrorCode];

/** A code with the retryability it is raised with, e.g. a classifier's table entry. */
export type ClassifiedCode =
  | { readonly code: TransientCode; readonly retryable: true }
  | { readonly code: PermanentCode; readonly retryable: false };

/** Whether `code` is in the catalogue; a code read back from JSON may come from another version. */
export function isErrorCode(code: string): code is ErrorCode {
  return Object.hasOwn(errorCodes, code);
}

/** The HTTP status answered with `code`; undefined for a code without one, or one this version lacks. */
export function httpStatusOf(code: string): number | undefined {
  return isErrorCode(code) ? (errorCodes[code] as ErrorCodeInfo).httpStatus : undefined;
}
