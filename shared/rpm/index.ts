export { measureRpmHeader, locateRpmHeader, LEAD_BYTES } from './rpm-layout';
export type { HeaderMeasure, RpmLayout, RpmLead } from './rpm-layout';
export { HeaderStructure } from './header-structure';
export type { TagValue } from './header-structure';
export { readRpmPackage } from './rpm-package';
export type { RpmChangelogEntry, RpmFile, RpmPackage } from './rpm-package';
export { DEPENDENCY_KINDS, splitEvr } from './dependencies';
export type { DependencyKind, RpmDependency, SplitEvr } from './dependencies';
export { FILE_GHOST, Sense, SigTag, Tag, TagType } from './tags';
