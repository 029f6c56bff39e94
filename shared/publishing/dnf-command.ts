/**
 * The `dnf` command that lists a published repository's packages straight from its URL, with no `.repo` file
 * and no system configuration: what the demo prints and the status API answers per repository. Packages are
 * not signed yet (`--nogpgcheck`); a fresh cache folder keeps an earlier revision's metadata out.
 */
export function dnfRepoqueryCommand(baseUrl: string): string {
  return (
    `dnf --repofrompath=azl,${baseUrl} --repo=azl --releasever=4.0 --setopt=reposdir=/dev/null` +
    ' --nogpgcheck --setopt=cachedir=$(mktemp -d) repoquery'
  );
}
