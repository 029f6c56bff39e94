import type { Services } from '../../shared/services';
import { silentLogger } from '../../shared/logger';
import { noTelemetry } from '../../shared/telemetry/pipeline-telemetry';
import { repositoryAccess } from '../../shared/publishing/repository-access';

/**
 * Services for handler tests: every port answers as an idle pipeline would (no dependencies, ingest takes
 * nothing, planning keeps nothing); a test overrides the ports it exercises.
 */
export function fakeServices(over: Partial<Services> = {}): Services {
  return {
    logger: silentLogger,
    telemetry: noTelemetry,
    dependencies: [],
    ingest: { submit: () => Promise.resolve([]) },
    failures: { record: () => Promise.resolve() },
    planning: {
      accept: () => Promise.resolve({ ran: false, why: 'not-configured' }),
      runPass: () => Promise.resolve({ ran: false, why: 'not-configured' }),
    },
    publisher: {
      publish: (request) =>
        Promise.resolve({
          repository: request.repository,
          revision: 0,
          packages: 0,
          changed: false,
          added: [],
          removed: [],
          requests: [],
          ...repositoryAccess(request.repository, 'http://127.0.0.1/none/'),
        }),
      sweepAll: () => Promise.resolve(0),
    },
    ...over,
  };
}
