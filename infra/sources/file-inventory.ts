import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { lstat, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { PreparedFile } from '../../shared/sources/manifest';

/** The sha256 and size of one file, streamed. */
export async function hashFile(path: string, algorithm = 'sha256'): Promise<{ size: number; hash: string }> {
  const digest = createHash(algorithm);
  let size = 0;
  for await (const chunk of createReadStream(path) as AsyncIterable<Buffer>) {
    digest.update(chunk);
    size += chunk.length;
  }
  return { size, hash: digest.digest('hex') };
}

/**
 * Every regular file under `root` (a dist-git checkout), as manifest entries with `/`-separated relative
 * paths, sha256 and size. Symlinks are listed by nothing and followed by nothing: a link out of the checkout
 * must never make us read (and publish the hash of) a file elsewhere.
 */
export async function inventoryDistGit(root: string, skip: ReadonlySet<string>): Promise<PreparedFile[]> {
  const files: PreparedFile[] = [];
  const walk = async (dir: string, prefix: string): Promise<void> => {
    const names = (await readdir(dir)).sort();
    for (const name of names) {
      const path = join(dir, name);
      const relative = prefix === '' ? name : `${prefix}/${name}`;
      const stats = await lstat(path);
      if (stats.isDirectory()) await walk(path, relative);
      else if (stats.isFile() && !skip.has(relative)) {
        const { size, hash } = await hashFile(path);
        files.push({ path: relative, origin: 'dist-git', size, hashType: 'sha256', hash });
      }
    }
  };
  await walk(root, '');
  return files;
}
