import { expect, test } from 'vitest';
import { between, duration, reasonText } from '../../dashboard/src/format';

/** The page's wording of plan reasons and durations (`dashboard/src/format.ts`, DOM-free). */
const change = { messageId: 'm-1', kind: 'tagged', package: 'zlib-ng', nvr: 'zlib-ng-2.2.1-1.fc43' };

test('a direct rebuild names the Fedora build and message that changed the component itself', () => {
  expect(reasonText({ ...change, component: 'zlib-ng' }, 'zlib-ng')).toBe(
    'tagged: zlib-ng zlib-ng-2.2.1-1.fc43 (message m-1) changed zlib-ng itself',
  );
});

test('a dependent names the BuildRequires path to it and the ABI change behind it', () => {
  const reason = {
    ...change,
    component: 'zlib-ng',
    changedProvides: ['+libz.so.2()(64bit)', '-libz.so.1()(64bit)'],
    path: [
      { from: 'zlib-ng', buildRequire: 'zlib-devel' },
      { from: 'libpng', buildRequire: 'libpng-devel' },
    ],
  };
  expect(reasonText(reason, 'gdk-pixbuf2')).toBe(
    'tagged: zlib-ng zlib-ng-2.2.1-1.fc43 (message m-1) changed zlib-ng; build requires: ' +
      'zlib-ng provides zlib-devel → libpng provides libpng-devel → gdk-pixbuf2; ' +
      'ABI changed: +libz.so.2()(64bit) -libz.so.1()(64bit)',
  );
});

test('durations read at the scale they have; unknown ones are a dash', () => {
  expect([850, 12_340, 245_000, 7_380_000].map(duration)).toEqual([
    '850 ms',
    '12.3 s',
    '4 min 05 s',
    '2 h 03 min',
  ]);
  expect(duration(undefined)).toBe('—');
  expect(between('2026-12-06T10:00:00Z', '2026-12-06T10:00:02.5Z')).toBe(2_500);
  expect(between(undefined, '2026-12-06T10:00:00Z')).toBeUndefined();
});
