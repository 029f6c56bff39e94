import { readFileSync } from 'node:fs';
import type { Overlay } from '../shared/overlays';
import { overlaySchema, renderComponent } from '../shared/overlays';
import { perSecond, round } from '../testing/measure';
import { fixturePath } from '../testing/fixtures/fixture-path';

export interface OverlayRenderThroughput {
  readonly components: number;
  /** Fixture overlay lists cycled through (Azure Linux 4.0 components with overlays). */
  readonly overlayLists: number;
  readonly overlays: number;
  readonly ms: number;
  /** Components rendered per second (pure renderComponent, one core, no I/O). */
  readonly perSecond: number;
  readonly perComponentUs: number;
  /** Renders that failed with overlay drift: overlays whose targets the synthetic spec lacks are dropped first. */
  readonly drifted: number;
}

/**
 * Renders `count` components: a synthetic Fedora-style spec (~150 lines, sub-packages, conditionals, a
 * changelog) with one of the fixture overlay lists, cycled, plus azldev's own edits (macros file, `%{load:}`,
 * Source9999, `%check` skip, header). Each list is pre-filtered once to the overlays that apply to the
 * synthetic spec (most fixture overlays target component-specific text), so the timed loop measures
 * successful renders. The input trees are built before the clock starts.
 */
export function measureOverlayRender(count = 1_000): OverlayRenderThroughput {
  const lists = loadOverlayLists().map(applicable);
  const trees = Array.from({ length: count }, (_, i) => syntheticTree(i));
  for (let i = 0; i < 100; i++) renderOne(lists, syntheticTree(i), i); // warm-up: let V8 optimize first
  const started = performance.now();
  let drifted = 0;
  for (let i = 0; i < count; i++) {
    if (!renderOne(lists, trees[i] ?? new Map(), i)) drifted++;
  }
  const ms = performance.now() - started;
  return {
    components: count,
    overlayLists: lists.length,
    overlays: lists.reduce((n, list) => n + list.length, 0),
    ms: round(ms),
    perSecond: perSecond(count, ms),
    perComponentUs: round((ms * 1000) / count),
    drifted,
  };
}

/** One synthetic component with the i-th overlay list; false when it drifted. */
function renderOne(lists: readonly Overlay[][], files: Map<string, string>, i: number): boolean {
  const overlays = lists[i % lists.length] ?? [];
  try {
    renderComponent({ component: 'pkg', tree: { files }, overlays, build: BUILD });
    return true;
  } catch {
    return false;
  }
}

const BUILD = { without: ['docs'], check: { skip: true, skipReason: 'bench' } };

function loadOverlayLists(): Overlay[][] {
  const file = fixturePath('overlays', 'azurelinux-overlays.json');
  const all = JSON.parse(readFileSync(file, 'utf8')) as Record<string, { overlays: unknown[] }>;
  return Object.values(all).map((c) => c.overlays.map((o) => overlaySchema.parse(o)));
}

/** The overlays of a list that render against the synthetic spec on their own (file-adds lack sources). */
function applicable(list: Overlay[]): Overlay[] {
  return list.filter((overlay) => {
    try {
      renderComponent({ component: 'pkg', tree: { files: syntheticTree(0) }, overlays: [overlay] });
      return true;
    } catch {
      return false;
    }
  });
}

function syntheticTree(seed: number): Map<string, string> {
  const subpackages = ['devel', 'libs', 'doc', 'tools'];
  const lines = [
    `%global have_xen 1`,
    `%bcond_without docs`,
    '',
    'Name:           pkg',
    `Version:        1.${seed % 100}.0`,
    'Release:        1%{?dist}',
    'Summary:        A synthetic package',
    'License:        MIT',
    'URL:            https://example.org/pkg',
    'Source0:        %{url}/pkg-%{version}.tar.gz',
    'Patch0:         0001-fix.patch',
    'BuildRequires:  gcc',
    'BuildRequires:  setup >= 2.15.0-3',
    '%if 0%{?fedora}',
    'BuildRequires:  xen-devel',
    '%endif',
    'Requires:       %{name}-libs%{?_isa} = %{version}-%{release}',
    '',
    '%description',
    'A synthetic package for the overlay render benchmark.',
    '',
    ...subpackages.flatMap((sub) => [
      `%package ${sub}`,
      `Summary:        The ${sub} part`,
      `Requires:       %{name}%{?_isa} = %{version}-%{release}`,
      '',
      `%description ${sub}`,
      `The ${sub} part of pkg.`,
      '',
    ]),
    '%prep',
    '%autosetup -p1',
    '',
    '%build',
    '%configure RPM_VENDOR=redhat',
    '%make_build',
    '',
    '%install',
    '%make_install',
    '',
    '%check',
    'make check',
    '',
    '%files',
    '%license LICENSE',
    '%{_bindir}/pkg',
    '',
    ...subpackages.flatMap((sub) => [`%files ${sub}`, `%{_datadir}/pkg/${sub}`, '']),
    '%changelog',
    ...Array.from(
      { length: 60 },
      (_, i) => `* Mon Jan 0${(i % 9) + 1} 2026 Packager <p@example.org> - 1.${i}-1\n- Update`,
    ),
  ];
  return new Map([
    ['pkg.spec', `${lines.join('\n')}\n`],
    ['0001-fix.patch', '--- a/x\n+++ b/x\n'],
    ['macros', 'redhat-rpm-config\n'],
  ]);
}
