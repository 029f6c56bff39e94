import type { ComponentConfig } from './schema/component';
import type {
  ComponentGroup,
  Distro,
  Image,
  PackageConfig,
  PackageGroup,
  Project,
  Resources,
  TestSuite,
  Tools,
} from './schema/sections';

/** A component as declared (before inheritance), with the file that declared it. */
export interface DeclaredComponent {
  readonly name: string;
  readonly file: string;
  readonly config: ComponentConfig;
}

/** The whole tree after includes and the cross-file merge: what `loadDistroTree` returns. */
export interface DistroTree {
  /** Absolute path of the root `azldev.toml`. */
  readonly root: string;
  /** Every config file reached, in include (load) order. */
  readonly files: readonly string[];
  readonly project: Project;
  readonly distros: Readonly<Record<string, Distro>>;
  readonly components: ReadonlyMap<string, DeclaredComponent>;
  readonly componentGroups: Readonly<Record<string, ComponentGroup>>;
  readonly defaultComponentConfig: ComponentConfig;
  readonly packageGroups: Readonly<Record<string, PackageGroup>>;
  readonly defaultPackageConfig: PackageConfig;
  readonly images: Readonly<Record<string, Image>>;
  readonly tools: Tools;
  readonly testSuites: Readonly<Record<string, TestSuite>>;
  readonly resources: Resources;
}
