import { SaxesParser } from 'saxes';
import { PipelineError } from '../../shared/errors';

/**
 * The `location href` of the `primary` record in a repomd.xml text. A repomd.xml that is not XML or has no
 * primary record is a permanent `deps.malformed` (dnf refuses such a repository too).
 */
export function primaryHref(xml: string, file: string): string {
  const sax = new SaxesParser({ position: true });
  let inPrimary = false;
  let href: string | undefined;
  sax.on('opentag', (tag) => {
    const attributes = tag.attributes as Record<string, string>;
    if (tag.name === 'data') inPrimary = attributes.type === 'primary';
    else if (tag.name === 'location' && inPrimary && href === undefined) href = attributes.href;
  });
  sax.on('closetag', (tag) => {
    if (tag.name === 'data') inPrimary = false;
  });
  try {
    sax.write(xml).close();
  } catch (cause) {
    throw PipelineError.permanent(
      'deps.malformed',
      `${file}:${sax.line}: ${String(cause)}`,
      { file, line: sax.line },
      cause,
    );
  }
  if (!href)
    throw PipelineError.permanent('deps.malformed', `${file}: no primary record`, { file, line: sax.line });
  return href;
}
