import { z } from 'zod';

/** The 17 overlay types azldev knows (research note §2.3), including the post-snapshot ones. */
export const OVERLAY_TYPES = [
  'spec-add-tag',
  'spec-insert-tag',
  'spec-set-tag',
  'spec-update-tag',
  'spec-remove-tag',
  'spec-prepend-lines',
  'spec-append-lines',
  'spec-search-replace',
  'spec-remove-section',
  'spec-remove-subpackage',
  'patch-add',
  'patch-remove',
  'file-add',
  'file-remove',
  'file-rename',
  'file-prepend-lines',
  'file-search-replace',
] as const;
export type OverlayType = (typeof OVERLAY_TYPES)[number];

/**
 * An overlay as the file schema sees it: a known `type` plus the other fields, kept as given. The per-type
 * rules (required fields, paths, globs, regex dialect, …) are the overlay engine's (`shared/overlays/schema.ts`);
 * the loader runs them on every overlay of each file right after this schema (`../check-overlays.ts`), so a
 * loaded tree holds only overlays the renderer accepts. `source` is resolved against the declaring file.
 */
export const OverlaySchema = z
  .object({
    type: z.enum(OVERLAY_TYPES, {
      error: (issue) =>
        issue.input === undefined
          ? 'an overlay needs a type'
          : `unknown overlay type ${JSON.stringify(issue.input)}`,
    }),
    source: z.string().optional(),
  })
  .catchall(z.unknown());
export type Overlay = z.infer<typeof OverlaySchema>;
