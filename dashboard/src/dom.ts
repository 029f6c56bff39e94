/**
 * Building DOM from data. Everything the pipeline reports (Fedora message ids, package names, log excerpts)
 * comes from outside, so text only ever goes in as text nodes: nothing here parses HTML.
 */
export type Child = Node | string | number | null | undefined | false;

export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Readonly<Record<string, string>> = {},
  ...children: readonly (Child | readonly Child[])[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    element.append(typeof child === 'number' ? String(child) : child);
  }
  return element;
}

/** A table that scrolls sideways on a narrow window, reachable by keyboard (focusable, labelled region). */
export function table(
  label: string,
  headers: readonly string[],
  rows: readonly (readonly Child[])[],
  rowClass?: (index: number) => string | undefined,
): HTMLElement {
  const head = el(
    'thead',
    {},
    el(
      'tr',
      {},
      headers.map((h) => el('th', { scope: 'col' }, h)),
    ),
  );
  const body = el(
    'tbody',
    {},
    rows.map((cells, index) => {
      const className = rowClass?.(index);
      return el(
        'tr',
        className ? { class: className } : {},
        cells.map((cell) => el('td', {}, cell)),
      );
    }),
  );
  return el(
    'div',
    { class: 'table-scroll', role: 'region', 'aria-label': label, tabindex: '0' },
    el('table', {}, el('caption', { class: 'visually-hidden' }, label), head, body),
  );
}

/** A short state word with its colour class (`state-succeeded`, `state-failed`, …). */
export const badge = (state: string): HTMLElement => el('span', { class: `badge state-${state}` }, state);

/** Replaces the body of a section (`<section id>`'s `.content`). */
export function fill(sectionId: string, ...children: readonly (Child | readonly Child[])[]): void {
  const content = document.querySelector<HTMLElement>(`#${sectionId} .content`);
  if (!content) return;
  const nodes = children
    .flat()
    .filter((c): c is Node | string | number => c !== null && c !== undefined && c !== false)
    .map((c) => (typeof c === 'number' ? String(c) : c));
  content.replaceChildren(...nodes);
}

export const empty = (text: string): HTMLElement => el('p', { class: 'empty' }, text);
