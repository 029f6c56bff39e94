export { rpmvercmp } from './rpmvercmp';
export { compareEvr, rangesOverlap, sourceNameOfRpm, SENSE } from './evr';
export type { DepFlags, Evr, VersionConstraint } from './evr';
export type { BinaryPackageRecord, DepEntry, ProvidedCapability, SourcePackageRecord } from './records';
export { DepsIndex } from './dep-index';
