/**
 * The Azure Linux 4.0 style distro configuration model: load a tree (`loadDistroTree`), resolve a
 * component's effective config (`resolveComponent`) and spec origin (`resolveSpecOrigin`), route a binary
 * package to its publish channel (`packageChannel`), and fingerprint a component's build inputs
 * (`fingerprintComponent`). Pure: all file access goes through `DistroFiles`.
 */
export type { DistroFiles } from './files';
export type { DistroTree, DeclaredComponent } from './tree';
export { loadDistroTree } from './load';
export { resolveComponent, defaultDistro } from './effective';
export type { EffectiveComponent } from './effective';
export { resolveSpecOrigin } from './upstream';
export type { SpecOrigin } from './upstream';
export { packageChannel, packageGroupOf } from './channels';
export { fingerprintComponent } from './fingerprint';
export { componentView } from './component-view';
export type { BuildOptions, ComponentFingerprint, FingerprintInputs } from './fingerprint';
export { summarizeTree } from './summary';
export type { TreeSummary } from './summary';
export { mergeValues } from './merge-values';
export { canonicalJson } from './canonical-json';
export { OVERLAY_TYPES } from './schema/overlay';
export type { Overlay, OverlayType } from './schema/overlay';
export type { ComponentConfig, DistroReference, Publish } from './schema/component';
export type * from './schema/sections';
