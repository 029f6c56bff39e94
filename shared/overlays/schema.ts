import { z } from 'zod';
import { translateRegex } from './regex';

/**
 * Strict schemas for azldev component overlays (`[[components.<name>.overlays]]`), one per `type`, with the
 * load-time rules of azldev's `ComponentOverlay.Validate`: required fields per type, relative paths, a bare
 * filename for `file-rename`, a regex this engine can run (RE2 translated to JavaScript, see regex.ts), and
 * (DEV ≥2026-07) no `package` without `section` on prepend/append/search-replace. Unknown keys are refused,
 * as azldev's decoder does.
 */
const text = z.string().min(1);
const relativePath = text.refine((p) => !p.startsWith('/') && !/^[A-Za-z]:[\\/]/.test(p), {
  message: 'must be a relative path',
});
const lines = z.array(z.string()).min(1);
/** A Go RE2 pattern this engine can run (see regex.ts for what is translated and what is refused). */
const regex = text.superRefine((pattern, ctx) => {
  try {
    translateRegex(pattern);
  } catch (error) {
    ctx.addIssue({ code: 'custom', message: error instanceof Error ? error.message : String(error) });
  }
});
/** DEV ≥2026-07: `package` only narrows a `section`; alone it is refused. */
const packageNeedsSection = (o: { package?: string | undefined; section?: string | undefined }): boolean =>
  o.package === undefined || o.section !== undefined;
const packageNeedsSectionIssue = { message: '"package" requires "section"', path: ['package'] };
const common = { description: z.string().optional() };

const tagOverlay = <T extends string>(type: T) =>
  z.strictObject({
    type: z.literal(type),
    ...common,
    tag: text,
    value: z.string(),
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
  source: relativePath,
  file: relativePath.optional(),
  package: z.string().optional(),
});
export const patchRemoveSchema = z.strictObject({
  type: z.literal('patch-remove'),
  ...common,
  file: relativePath,
});
export const filePrependLinesSchema = z.strictObject({
  type: z.literal('file-prepend-lines'),
  ...common,
  file: relativePath,
  lines,
});
export const fileSearchReplaceSchema = z.strictObject({
  type: z.literal('file-search-replace'),
  ...common,
  file: relativePath,
  regex,
  replacement: z.string().optional(),
});
export const fileAddSchema = z.strictObject({
  type: z.literal('file-add'),
  ...common,
  file: relativePath.refine((p) => !p.endsWith('.spec'), { message: 'file-add cannot add a .spec file' }),
  source: relativePath,
});
export const fileRemoveSchema = z.strictObject({
  type: z.literal('file-remove'),
  ...common,
  file: relativePath,
});
export const fileRenameSchema = z.strictObject({
  type: z.literal('file-rename'),
  ...common,
  file: relativePath,
  replacement: text.refine((name) => !name.includes('/') && name !== '.' && name !== '..', {
    message: 'must be a bare filename',
  }),
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
