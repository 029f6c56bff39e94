import { basename } from 'node:path';
import type { InspectedPackage, RepositoryRouter } from '../../shared/build-worker';
import { packageChannel, resolveComponent } from '../../shared/distro';
import type { DistroTree } from '../../shared/distro';
import { repositoriesFor } from '../../shared/publishing';
import { sharedDistroTree } from '../distro/distro-tree-cache';

/**
 * Routes a build's packages to repositories by the distro tree's publish channels (`base` when none is
 * named) and their architecture (see `repositoriesFor`).
 */
export class DistroRepositoryRouter implements RepositoryRouter {
  constructor(
    private readonly distroDir: string,
    private readonly arches: readonly string[] = ['x86_64'],
  ) {}

  route(component: string, packages: readonly InspectedPackage[]): Map<string, InspectedPackage[]> {
    // The tree as it is now (the process's cache reloads a changed folder), so a changed channel routes the
    // next build, without loading the whole tree for every build.
    const tree: DistroTree = sharedDistroTree(this.distroDir).current().tree;
    const effective = tree.components.has(component) ? resolveComponent(tree, component) : undefined;
    const channelOf = (name: string) => packageChannel(tree, name, effective);
    const named = packages.map((pkg) => ({ ...pkg, fileName: basename(pkg.path) }));
    const routes = new Map<string, InspectedPackage[]>();
    for (const { repository, packages: routed } of repositoriesFor(named, channelOf, this.arches))
      routes.set(repository, routed);
    return routes;
  }
}
