/** The overlay engine: strict overlay schemas and a pure renderer (in-memory tree in, rendered tree out). */
export { overlaySchema, overlayListSchema } from './schema';
export type { Overlay, OverlayOf, OverlayType } from './schema';
export { renderComponent } from './render';
export type { RenderInput, RenderedTree } from './render';
export type { BuildConfig } from './azldev-edits';
export type { ComponentTree } from './tree';
export { translateRegex } from './regex';
export { isOverlayDrift, OVERLAY_DRIFT_CODES } from './drift';
