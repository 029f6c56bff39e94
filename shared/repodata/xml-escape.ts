/**
 * XML 1.0 escaping as libxml2 writes createrepo_c's documents: `& < >` in text (and `\r` as a character
 * reference, so it survives parsing), plus `"` and the whitespace controls in attributes. Characters XML 1.0
 * cannot carry at all (C0 controls other than tab/newline/CR, lone surrogates, U+FFFE/U+FFFF) are dropped.
 */
/* eslint-disable no-control-regex -- these patterns are about control characters */
const FORBIDDEN =
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
const TEXT_SPECIAL = /[&<>\r]/;
const ATTR_SPECIAL = /[&<>"\r\n\t]/;

const TEXT_REPLACEMENTS: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '\r': '&#13;' };
const ATTR_REPLACEMENTS: Record<string, string> = {
  ...TEXT_REPLACEMENTS,
  '"': '&quot;',
  '\n': '&#10;',
  '\t': '&#9;',
};

/** Fast path: most strings have nothing to escape or drop. */
const ANY_SPECIAL = /[\u0000-\u0008\u000b-\u001f&<>"\r\n\t\ud800-\udfff\ufffe\uffff]/;
/* eslint-enable no-control-regex */

export function escapeText(value: string): string {
  if (!ANY_SPECIAL.test(value)) return value;
  const clean = value.replace(FORBIDDEN, '');
  return TEXT_SPECIAL.test(clean) ? clean.replace(/[&<>\r]/g, (c) => TEXT_REPLACEMENTS[c] ?? c) : clean;
}

export function escapeAttribute(value: string): string {
  if (!ANY_SPECIAL.test(value)) return value;
  const clean = value.replace(FORBIDDEN, '');
  return ATTR_SPECIAL.test(clean) ? clean.replace(/[&<>"\r\n\t]/g, (c) => ATTR_REPLACEMENTS[c] ?? c) : clean;
}
