/**
 * The function key the status API needs, kept in the browser only. It arrives in the URL fragment
 * (`#key=…`, which browsers never send to a server) or from the key form; it is kept in session storage (gone
 * when the tab closes) and removed from the address bar at once, so it is neither logged, bookmarked nor
 * shared with a copied link.
 */
const STORAGE_NAME = 'azl-rebuilder.functionKey';

/** Takes a key from the fragment, if there is one, into session storage and out of the address bar. */
export function adoptKeyFromFragment(): boolean {
  const fragment = new URLSearchParams(window.location.hash.replace(/^#/, ''));
  const key = fragment.get('key');
  if (key === null) return false;
  fragment.delete('key');
  const rest = fragment.toString();
  const url = `${window.location.pathname}${window.location.search}${rest ? `#${rest}` : ''}`;
  window.history.replaceState(window.history.state, '', url);
  if (key.trim() === '') return false;
  storeKey(key.trim());
  return true;
}

export const storedKey = (): string | undefined => window.sessionStorage.getItem(STORAGE_NAME) ?? undefined;

export const storeKey = (key: string): void => window.sessionStorage.setItem(STORAGE_NAME, key);

export const forgetKey = (): void => window.sessionStorage.removeItem(STORAGE_NAME);
