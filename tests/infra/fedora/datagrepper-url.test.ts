import { describe, expect, test } from 'vitest';
import { parseDatagrepperBaseUrl, searchUrl } from '../../../infra/fedora';
import { PipelineError } from '../../../shared/errors';
import { timeWindow } from '../../../shared/fedora/catch-up';

function refusal(input: string): PipelineError {
  try {
    parseDatagrepperBaseUrl(input);
  } catch (error) {
    expect(error).toBeInstanceOf(PipelineError);
    expect(error).toMatchObject({ code: 'datagrepper.invalid-base-url', retryable: false });
    return error as PipelineError;
  }
  throw new Error(`${input} was accepted`);
}

describe('datagrepper base URL', () => {
  test.each([
    'https://apps.fedoraproject.org/datagrepper',
    'https://apps.fedoraproject.org/datagrepper/',
    'https://datagrepper.example',
    'http://127.0.0.1:8080/datagrepper',
    'http://localhost:8080',
    'http://[::1]:8080/dg',
  ])('accepts %s', (input) => {
    expect(parseDatagrepperBaseUrl(input)).toBeInstanceOf(URL);
  });

  test.each([
    ['http://apps.fedoraproject.org/datagrepper', /plain http is only allowed to a loopback host/],
    ['http://10.0.0.1/datagrepper', /loopback/],
    ['http://127.example.com/datagrepper', /loopback/],
    ['ftp://apps.fedoraproject.org/datagrepper', /must be https/],
    ['apps.fedoraproject.org/datagrepper', /not an absolute URL/],
    ['https://apps.fedoraproject.org/datagrepper?delta=60', /query or fragment/],
    ['https://apps.fedoraproject.org/datagrepper#x', /query or fragment/],
  ])('refuses %s', (input, why) => {
    expect(refusal(input).message).toMatch(why);
  });

  test('refuses credentials without repeating them', () => {
    const error = refusal('https://me:s3cret@apps.fedoraproject.org/datagrepper');
    expect(error.message).toMatch(/credentials/);
    expect(JSON.stringify(error)).not.toContain('s3cret');
    expect(JSON.stringify(refusal('not a url with me:s3cret@host'))).not.toContain('s3cret');
  });
});

describe('searchUrl', () => {
  const window = timeWindow(1_763_388_000, 1_763_388_599);

  test('explicit inclusive start/end, order=asc, page size, page and repeated filters', () => {
    const url = searchUrl(parseDatagrepperBaseUrl('https://apps.fedoraproject.org/datagrepper/'), {
      window,
      page: 3,
      rowsPerPage: 100,
      topics: ['org.fedoraproject.prod.buildsys.tag', 'org.fedoraproject.prod.buildsys.untag'],
      categories: ['buildsys'],
    });
    expect(url).toBe(
      'https://apps.fedoraproject.org/datagrepper/v2/search?start=1763388000&end=1763388599&order=asc' +
        '&rows_per_page=100&page=3&topic=org.fedoraproject.prod.buildsys.tag' +
        '&topic=org.fedoraproject.prod.buildsys.untag&category=buildsys',
    );
  });

  test('a base at the root of its host', () => {
    const url = searchUrl(parseDatagrepperBaseUrl('https://datagrepper.example'), {
      window,
      page: 1,
      rowsPerPage: 50,
    });
    expect(url).toBe(
      'https://datagrepper.example/v2/search?start=1763388000&end=1763388599&order=asc&rows_per_page=50&page=1',
    );
  });
});
