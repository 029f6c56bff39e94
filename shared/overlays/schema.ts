import { posix } from 'node:path';
import { z } from 'zod';
import { isArchiveName } from './archive-names';
import { isValidGlob } from './glob-syntax';
import { overlayMetadataSchema } from './metadata-schema';
import { translateRegex } from './regex';

/**
 * Strict schemas for azldev component overlays (`[[components.<name>.overlays]]`), one per `type`, with the
 * load-time rules of azldev's `ComponentOverlay.Validate` (internal/projectconfig/overlay.go): required fields
 * per type (an empty string or list counts as missing, as in azldev), `file` relative, `replacement` of
 * `file-rename` and `archive` bare filenames, `section` refused on `spec-remove-subpackage`, `package`
 * without `section` refused on prepend/append/search-replace, valid globs for `patch-remove` (and
 * `file-remove`), `archive` only on `file-remove` / `file-search-replace` and `archive-root` only with it,
 * and valid `metadata`. The tree loader runs them on every overlay (`validateOverlay`), so the renderer
 * only ever sees overlays that passed.
 *
 * Stricter than azldev, each because the engine could not honour the overlay anyway: a field the type does
 * not use is refused (azldev ignores it), `source` must be relative, a regex must translate from RE2 to
 * JavaScript (regex.ts), `file-add` cannot add a `.spec`, `file-remove` globs are checked like
 * `patch-remove`'s, and `archive` must have an archive ending azldev can unpack (archive-names.ts) — azldev
 * refuses these when it applies the overlay, this engine when the tree loads.
 *
 * Custom messages that start with "requires" or "does not accept" read after "overlay type `<type>` "
 * (validate.ts adds it), as azldev words them.
 */
const text = z.string().min(1);
const code = (value: string): string => `\`${value}\``;
const relativePath = (field: string) =>
  text.refine((p) => !p.startsWith('/') && !/^[A-Za-z]:[\\/]/.test(p), {
    error: (issue) => `requires ${code(field)} to be a relative path; found ${code(String(issue.input))}`,
  });
const bareFilename = (field: string) =>
  text.refine((name) => name === posix.basename(name) && name !== '.' && name !== '..', {
    error: (issue) =>
      `requires ${code(field)} to be a filename only (not a path); found ${code(String(issue.input))}`,
  });
const glob = (field: string) =>
  relativePath(field).refine(isValidGlob, {
    error: (issue) => `invalid glob pattern ${code(String(issue.input))}`,
  });
const lines = z.array(z.string()).min(1);
/** A Go RE2 pattern this engine can run (see regex.ts for what is translated and what is refused). */
const regex = text.superRefine((pattern, ctx) => {
  try {
    translateRegex(pattern);
  } catch (error) {
    const why = (error instanceof Error ? error.message : String(error)).replace(
      /^regex .* cannot be used: /,
      '',
    );
    ctx.addIssue({ code: 'custom', message: `invalid regex ${code(pattern)}: ${why}` });
  }
});
/** The source archive an overlay edits inside: a bare filename with an archive ending azldev unpacks. */
const archive = bareFilename('archive').refine(isArchiveName, {
  error: (issue) => `unsupported archive format ${code(String(issue.input))}`,
});
/** azldev `filepath.IsLocal`: not empty, not absolute, and not climbing out with `..`. */
const isLocalPath = (p: string): boolean => {
  if (p.startsWith('/')) return false;
  const normal = posix.normalize(p);
  return normal !== '..' && !normal.startsWith('../');
};
const archiveRoot = text.refine(isLocalPath, {
  error: (issue) =>
    `requires \`archive-root\` to be a local relative path (no \`..\` or absolute paths); found ${code(String(issue.input))}`,
});

/** DEV ≥2026-07: `package` only narrows a `section`; alone it is refused. */
const packageNeedsSection = (o: { package?: string | undefined; section?: string | undefined }): boolean =>
  o.package === undefined || o.section !== undefined;
const packageNeedsSectionIssue = {
  message: 'requires `section` field when `package` is set',
  path: ['package'],
};
/** `archive-root` only means something on an archive-scoped overlay. */
const archiveRootNeedsArchive = (o: { archive?: string | undefined; 'archive-root'?: string | undefined }) =>
  o['archive-root'] === undefined || o.archive !== undefined;
const archiveRootNeedsArchiveIssue = {
  message: 'does not accept `archive-root` field',
  path: ['archive-root'],
};
const common = { description: z.string().optional(), metadata: overlayMetadataSchema.optional() };

const tagOverlay = <T extends string>(type: T) =>
  z.strictObject({
    type: z.literal(type),
    ...common,
    tag: text,
    value: text,
    package: z.string().optional(),
  });

export const specAddTagSchema = tagOverlay('spec-add-tag');
export const specInsertTagSchema = tagOverlay('spec-insert-tag');
export const specSetTagSchema = tagOverlay('spec-set-tag');
export const specUpdateTagSchema = tagOverlay('spec-update-tag');
export const specRemoveTagSchema = z.strictObject({
  type: z.literal('spec-remove-tag'),
  ...common,
  tag: text,
  value: z.string().optional(),
  package: z.string().optional(),
});

const lineOverlay = <T extends string>(type: T) =>
  z
    .strictObject({
      type: z.literal(type),
      ...common,
      lines,
      section: text.optional(),
      package: z.string().optional(),
    })
    .refine(packageNeedsSection, packageNeedsSectionIssue);

export const specPrependLinesSchema = lineOverlay('spec-prepend-lines');
export const specAppendLinesSchema = lineOverlay('spec-append-lines');
export const specSearchReplaceSchema = z
  .strictObject({
    type: z.literal('spec-search-replace'),
    ...common,
    regex,
    replacement: z.string().optional(),
    section: text.optional(),
    package: z.string().optional(),
  })
  .refine(packageNeedsSection, packageNeedsSectionIssue);
export const specRemoveSectionSchema = z.strictObject({
  type: z.literal('spec-remove-section'),
  ...common,
  section: text,
  package: z.string().optional(),
});
export const specRemoveSubpackageSchema = z.strictObject({
  type: z.literal('spec-remove-subpackage'),
  ...common,
  package: text,
});
export const patchAddSchema = z.strictObject({
  type: z.literal('patch-add'),
  ...common,
  source: relativePath('source'),
  file: relativePath('file').optional(),
  package: z.string().optional(),
});
export const patchRemoveSchema = z.strictObject({
  type: z.literal('patch-remove'),
  ...common,
  file: glob('file'),
});
export const filePrependLinesSchema = z.strictObject({
  type: z.literal('file-prepend-lines'),
  ...common,
  file: relativePath('file'),
  lines,
});
export const fileSearchReplaceSchema = z
  .strictObject({
    type: z.literal('file-search-replace'),
    ...common,
    file: relativePath('file'),
    regex,
    replacement: z.string().optional(),
    archive: archive.optional(),
    'archive-root': archiveRoot.optional(),
  })
  .refine(archiveRootNeedsArchive, archiveRootNeedsArchiveIssue);
export const fileAddSchema = z.strictObject({
  type: z.literal('file-add'),
  ...common,
  file: relativePath('file').refine((p) => !p.endsWith('.spec'), {
    message: 'file-add cannot add a .spec file',
  }),
  source: relativePath('source'),
});
export const fileRemoveSchema = z
  .strictObject({
    type: z.literal('file-remove'),
    ...common,
    file: glob('file'),
    archive: archive.optional(),
    'archive-root': archiveRoot.optional(),
  })
  .refine(archiveRootNeedsArchive, archiveRootNeedsArchiveIssue);
export const fileRenameSchema = z.strictObject({
  type: z.literal('file-rename'),
  ...common,
  file: relativePath('file'),
  replacement: bareFilename('replacement'),
});

/** One overlay, discriminated on `type`. */
export const overlaySchema = z.discriminatedUnion('type', [
  specAddTagSchema,
  specInsertTagSchema,
  specSetTagSchema,
  specUpdateTagSchema,
  specRemoveTagSchema,
  specPrependLinesSchema,
  specAppendLinesSchema,
  specSearchReplaceSchema,
  specRemoveSectionSchema,
  specRemoveSubpackageSchema,
  patchAddSchema,
  patchRemoveSchema,
  filePrependLinesSchema,
  fileSearchReplaceSchema,
  fileAddSchema,
  fileRemoveSchema,
  fileRenameSchema,
]);

export type Overlay = z.infer<typeof overlaySchema>;
export type OverlayType = Overlay['type'];
export type OverlayOf<T extends OverlayType> = Extract<Overlay, { type: T }>;
export const overlayListSchema = z.array(overlaySchema);
