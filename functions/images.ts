import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import { describeError } from '../shared/errors';
import { imageBuildUpdatedAt } from '../shared/images/image-build';
import type { ImageBuildRecord } from '../shared/images/image-build';
import type { ImageBuildRecords } from '../shared/images/image-build-records';
import type { Logger } from '../shared/logger';
import type { ServicesProvider } from '../shared/services';
import { invocationLogger } from './invocation-logger';
import { problem, unavailable } from './problem';
import type { HttpFunction } from './table';
import type { imageListSchema, imageVersionsSchema } from './image-build-schema';
import type { BodyOf } from '../shared/schema-matches';

type Answer = (request: HttpRequest, records: ImageBuildRecords) => Promise<HttpResponseInit>;

/**
 * The images API, read-only `GET`s behind a function key, answering JSON:
 * - `GET /api/images`: `{images: [{image, latest}]}`, every image that has a build, by name, each with its
 *   newest build (the record without its history, with `updatedAt`);
 * - `GET /api/images/{name}`: `{image, versions}`, every build of the image newest first, whole (state, history,
 *   sizes, URLs, SHA-256, error) with `updatedAt`; 404 `image.unknown-image` when it has none.
 * A store that is down answers 503 with `Retry-After`; an instance without image records 503
 * `status.not-configured`.
 */
export function imagesFunctions(services: ServicesProvider): HttpFunction[] {
  return [
    get(services, 'images', 'images', async (_request, records) => {
      const latest = await records.latest();
      const body: BodyOf<typeof imageListSchema> = {
        images: latest.map((record) => ({ image: record.image, latest: summaryOf(record) })),
      };
      return ok(body);
    }),
    get(services, 'image', 'images/{name}', async (request, records) => {
      const image = request.params.name ?? '';
      const versions = await records.versions(image);
      if (versions.length === 0)
        return problem(404, 'image.unknown-image', `no builds of an image named ${image}`);
      const body: BodyOf<typeof imageVersionsSchema> = {
        image,
        versions: versions.map((record) => ({ ...record, updatedAt: imageBuildUpdatedAt(record) })),
      };
      return ok(body);
    }),
  ];
}

/** A build as a listing shows it: everything but the history. */
function summaryOf(record: ImageBuildRecord) {
  const { history: _history, ...summary } = record;
  return { ...summary, updatedAt: imageBuildUpdatedAt(record) };
}

function get(services: ServicesProvider, name: string, route: string, answer: Answer): HttpFunction {
  return {
    kind: 'http',
    name,
    route,
    methods: ['GET'],
    authLevel: 'function',
    handler: async (request, context) => {
      let records: ImageBuildRecords | undefined;
      let logger: Logger;
      try {
        ({ imageRecords: records, logger } = await services());
      } catch (error) {
        return problem(503, 'status.not-configured', `the services could not start: ${describeError(error)}`);
      }
      if (!records) return problem(503, 'status.not-configured', 'this instance keeps no image builds');
      try {
        return await answer(request, records);
      } catch (error) {
        invocationLogger(logger, context).error('images query failed', { route, error });
        const retryLater = unavailable(error, 10);
        if (retryLater) return retryLater;
        throw error;
      }
    },
  };
}

const ok = (body: object): HttpResponseInit => ({ status: 200, jsonBody: body });
