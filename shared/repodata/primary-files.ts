/**
 * Whether a path is listed in primary.xml as well as filelists.xml (createrepo_c `cr_is_primary`): anything
 * under `/etc/`, `/usr/lib/sendmail`, and any path containing `bin/` anywhere (yum's historical rule, so
 * `/usr/sbin/x` and `/opt/foo/bin/x` count too).
 */
export function isPrimaryFile(path: string): boolean {
  return path.startsWith('/etc/') || path === '/usr/lib/sendmail' || path.includes('bin/');
}
