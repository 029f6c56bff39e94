/** A disk's cylinders, heads and sectors per track, as a VHD footer stores them. */
export interface ChsGeometry {
  readonly cylinders: number;
  readonly heads: number;
  readonly sectorsPerTrack: number;
}

/** The largest geometry the footer can hold: 65535 cylinders, 16 heads, 255 sectors per track. */
export const MAX_CHS_SECTORS = 65535 * 16 * 255;

/**
 * The geometry of a disk of `size` bytes by the algorithm in the appendix "CHS Calculation" of Microsoft's
 * Virtual Hard Disk Image Format Specification (1.0). Integer division throughout, so C × H × S × 512 can be
 * a little less than `size`: that is why the footer's *current size*, not the geometry, is the disk's size for
 * Azure, Hyper-V and qemu (given a creator application that says so, see `vhd-footer.ts`).
 */
export function chsGeometry(size: number): ChsGeometry {
  const totalSectors = Math.min(Math.floor(size / 512), MAX_CHS_SECTORS);
  let sectorsPerTrack: number;
  let heads: number;
  let cylinderTimesHeads: number;
  if (totalSectors >= 65535 * 16 * 63) {
    sectorsPerTrack = 255;
    heads = 16;
    cylinderTimesHeads = Math.floor(totalSectors / sectorsPerTrack);
  } else {
    sectorsPerTrack = 17;
    cylinderTimesHeads = Math.floor(totalSectors / sectorsPerTrack);
    heads = Math.max(4, Math.floor((cylinderTimesHeads + 1023) / 1024));
    if (cylinderTimesHeads >= heads * 1024 || heads > 16) {
      sectorsPerTrack = 31;
      heads = 16;
      cylinderTimesHeads = Math.floor(totalSectors / sectorsPerTrack);
    }
    if (cylinderTimesHeads >= heads * 1024) {
      sectorsPerTrack = 63;
      heads = 16;
      cylinderTimesHeads = Math.floor(totalSectors / sectorsPerTrack);
    }
  }
  return { cylinders: Math.floor(cylinderTimesHeads / heads), heads, sectorsPerTrack };
}
