import { measureRpmHeader, readRpmPackage } from '../rpm';
import type { RpmPackage } from '../rpm';
import { PipelineError } from '../errors';

/** First ranged read: most RPM headers fit (the signature reserves 4 KiB, the main header is usually less). */
const FIRST_READ = 64 * 1024;

/**
 * Reads an RPM's header from a blob with ranged reads only: `FIRST_READ` bytes, then exactly what
 * `measureRpmHeader` says is still missing. Never reads the payload (unless the file is smaller).
 */
export async function readPackageHeader(
  read: (offset: number, count: number) => Promise<Uint8Array>,
  place: { readonly href: string } & Readonly<Record<string, string>>,
): Promise<RpmPackage> {
  let prefix = Buffer.from(await read(0, FIRST_READ));
  for (;;) {
    const measured = measureRpmHeader(prefix);
    if (measured.complete) return readRpmPackage(prefix);
    const more = await read(prefix.length, measured.needBytes - prefix.length);
    if (more.length === 0) {
      throw PipelineError.permanent('rpm.truncated', `${place.href} ends inside its header`, {
        ...place,
        offset: prefix.length,
        needBytes: measured.needBytes,
      });
    }
    prefix = Buffer.concat([prefix, more]);
  }
}
