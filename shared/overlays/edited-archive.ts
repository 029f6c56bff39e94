import type { FileBytes } from './tree';

/**
 * A source archive as the archive stage left it: repacked with its group's overlays applied. The stage runs
 * before the overlay list, as azldev's does (infra/overlays/archive-stage.ts does the I/O, archive-edit.ts the
 * edits); when the renderer then meets those overlays in the list, this marker on the archive's file tells it
 * they are done (apply.ts).
 */
export class EditedArchive implements FileBytes {
  constructor(private readonly bytes: Uint8Array) {}

  read(): Uint8Array {
    return this.bytes;
  }
}
