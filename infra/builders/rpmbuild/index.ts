/** The local builder: this machine's `rpmbuild`. */
export { RpmbuildBuilder } from './rpmbuild-builder';
export type { RpmbuildBuilderOptions } from './rpmbuild-builder';
export { runLogged } from './run-logged';
export type { LoggedRun } from './run-logged';
