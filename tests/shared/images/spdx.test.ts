import { readFileSync } from 'node:fs';
import Ajv2019 from 'ajv/dist/2019';
import type { ValidateFunction } from 'ajv/dist/2019';
import { beforeAll, describe, expect, it } from 'vitest';
import { installedPackage } from '../../../shared/images/installed-package';
import { buildImageManifest } from '../../../shared/images/manifest';
import {
  buildImageSbom,
  documentNamespace,
  imageSbomJson,
  type SpdxDocument,
} from '../../../shared/images/spdx';
import { fixturePath } from '../../../testing/fixtures/fixture-path';
import { sampleManifestInput } from '../../../testing/images/sample-image-manifest';

/**
 * The SBOM against the SPDX project's own JSON Schema for 2.3 (tests/fixtures/spdx/, draft 2019-09), compiled
 * by Ajv in strict mode, applied to the document as it is written (its JSON text parsed back).
 */
let validate: ValidateFunction;

beforeAll(() => {
  const schema = JSON.parse(readFileSync(fixturePath('spdx', 'spdx-schema-2.3.json'), 'utf8')) as object;
  validate = new Ajv2019({ strict: true, allErrors: true }).compile(schema);
});

const sampleManifest = () => buildImageManifest(sampleManifestInput());
const written = (document: SpdxDocument): Record<string, unknown> =>
  JSON.parse(imageSbomJson(document)) as Record<string, unknown>;
const packageNamed = (document: SpdxDocument, name: string) => {
  const found = document.packages.find((p) => p.name === name);
  if (!found) throw new Error(`no package ${name}`);
  return found;
};

describe('the SBOM against the SPDX 2.3 JSON schema', () => {
  it('is valid', () => {
    const valid = validate(written(buildImageSbom(sampleManifest(), { supplier: 'Organization: Example' })));
    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
  });

  it('refers only to elements and LicenseRefs it defines (what the schema cannot check)', () => {
    const document = buildImageSbom(sampleManifest());
    const ids = new Set([document.SPDXID, ...document.packages.map((p) => p.SPDXID)]);
    for (const r of document.relationships) {
      expect(ids).toContain(r.spdxElementId);
      expect(ids).toContain(r.relatedSpdxElement);
    }
    const defined = new Set(document.hasExtractedLicensingInfos?.map((l) => l.licenseId));
    const used = document.packages.flatMap((p) =>
      `${p.licenseDeclared} ${p.licenseConcluded}`
        .split(/[\s()]+/)
        .filter((t) => t.startsWith('LicenseRef-')),
    );
    expect(used.length).toBeGreaterThan(0);
    for (const ref of used) expect(defined).toContain(ref);
  });

  it('is valid for an image with no packages at all', () => {
    const empty = buildImageManifest(sampleManifestInput({ packages: [] }));
    expect(validate(written(buildImageSbom(empty)))).toBe(true);
  });

  it('would be refused with an SPDX id the schema does not allow or a fractional creation time', () => {
    // The validator bites: the two things the builder sanitises are what the schema checks.
    const document = written(buildImageSbom(sampleManifest()));
    const packages = document.packages as Record<string, unknown>[];
    const badId = { ...document, packages: [{ ...packages[0], SPDXID: 'SPDXRef-Package-gcc-c++' }] };
    expect(validate(badId)).toBe(false);
    const badTime = {
      ...document,
      creationInfo: { created: '2026-12-06T08:30:15.123Z', creators: ['Tool: x'] },
    };
    expect(validate(badTime)).toBe(false);
  });
});

describe('buildImageSbom', () => {
  it('states the document fields SPDX 2.3 requires, the creator tool and the build time to the second', () => {
    const document = buildImageSbom(sampleManifest());
    expect(document).toMatchObject({
      spdxVersion: 'SPDX-2.3',
      dataLicense: 'CC0-1.0',
      SPDXID: 'SPDXRef-DOCUMENT',
      name: 'vm-base-3.0.20261206.1',
      creationInfo: { created: '2026-12-06T08:30:15Z', creators: ['Tool: azl-rebuilder-0.1.0'] },
    });
  });

  it('describes a root package for the image that contains every installed package once', () => {
    const manifest = sampleManifest();
    const document = buildImageSbom(manifest);
    const [root, ...rpms] = document.packages;
    expect(root).toMatchObject({
      SPDXID: 'SPDXRef-Image-vm-base',
      name: 'vm-base',
      versionInfo: '3.0.20261206.1',
      packageFileName: 'vm-base-3.0.20261206.1.vhd',
      primaryPackagePurpose: 'OPERATING-SYSTEM',
      checksums: [{ algorithm: 'SHA256', checksumValue: 'b'.repeat(64) }],
    });
    expect(rpms.map((p) => p.name)).toEqual(manifest.packages.map((p) => p.name));
    const ids = document.packages.map((p) => p.SPDXID);
    expect(new Set(ids).size).toBe(ids.length);
    expect(document.relationships).toEqual([
      { spdxElementId: 'SPDXRef-DOCUMENT', relationshipType: 'DESCRIBES', relatedSpdxElement: root?.SPDXID },
      ...rpms.map((p) => ({
        spdxElementId: root?.SPDXID,
        relationshipType: 'CONTAINS',
        relatedSpdxElement: p.SPDXID,
      })),
    ]);
  });

  it('names each RPM by its sanitised NEVRA, with [epoch:]version-release and its purl', () => {
    const document = buildImageSbom(sampleManifest());
    expect(packageNamed(document, 'grub2-efi-x64')).toMatchObject({
      SPDXID: 'SPDXRef-Package-grub2-efi-x64-1-2.06-git20240101-9-rc1.azl3.x86-64',
      versionInfo: '1:2.06^git20240101-9~rc1.azl3',
      downloadLocation: 'NOASSERTION',
      filesAnalyzed: false,
      supplier: 'NOASSERTION',
      sourceInfo: 'built from the source RPM grub2-2.06-9.azl3.src.rpm',
      externalRefs: [
        {
          referenceCategory: 'PACKAGE-MANAGER',
          referenceType: 'purl',
          referenceLocator:
            'pkg:rpm/azurelinux/grub2-efi-x64@2.06%5Egit20240101-9~rc1.azl3?arch=x86_64&epoch=1',
        },
      ],
    });
    expect(packageNamed(document, 'gcc-c++').SPDXID).toBe('SPDXRef-Package-gcc-c---13.2.0-7.azl3.x86-64');
    expect(packageNamed(document, 'bash').versionInfo).toBe('5.2.26-3.azl3');
  });

  it('keeps an SPDX License tag, and says NOASSERTION for any other, keeping the tag as a comment', () => {
    const document = buildImageSbom(sampleManifest());
    expect(packageNamed(document, 'gcc-c++')).toMatchObject({
      licenseDeclared: 'GPL-3.0-or-later AND LGPL-3.0-or-later AND (GPL-3.0-or-later WITH GCC-exception-3.1)',
      licenseConcluded:
        'GPL-3.0-or-later AND LGPL-3.0-or-later AND (GPL-3.0-or-later WITH GCC-exception-3.1)',
    });
    expect(packageNamed(document, 'tzdata').licenseDeclared).toBe('LicenseRef-Fedora-Public-Domain');
    const callaway = packageNamed(document, 'grub2-efi-x64');
    expect(callaway).toMatchObject({ licenseDeclared: 'NOASSERTION', licenseConcluded: 'NOASSERTION' });
    expect(callaway.licenseComments).toBe(
      'The RPM License tag is not an SPDX license expression: GPLv2+ and BSD',
    );
    // `BSD` alone is no SPDX id; a package without a License tag has nothing to comment on.
    expect(packageNamed(document, 'shim').licenseDeclared).toBe('NOASSERTION');
    const unlicensed = packageNamed(document, 'filesystem');
    expect(unlicensed.licenseDeclared).toBe('NOASSERTION');
    expect(unlicensed.licenseComments).toBeUndefined();
    expect(unlicensed.sourceInfo).toBeUndefined();
  });

  it('defines each LicenseRef the packages use, once, and none when they use none', () => {
    const document = buildImageSbom(sampleManifest());
    expect(document.hasExtractedLicensingInfos).toEqual([
      {
        licenseId: 'LicenseRef-Fedora-Public-Domain',
        name: 'Fedora-Public-Domain',
        extractedText:
          'LicenseRef-Fedora-Public-Domain, as named by the RPM License tag; the package header carries no license text.',
      },
    ]);
    const plain = sampleManifestInput().packages.filter((p) => p.name !== 'tzdata');
    const without = buildImageSbom(buildImageManifest(sampleManifestInput({ packages: plain })));
    expect(without.hasExtractedLicensingInfos).toBeUndefined();
    expect(validate(written(without))).toBe(true);
  });

  it('gives NEVRAs that sanitise alike distinct ids, in list order', () => {
    const twins = ['a+b', 'a_b'].map((name) =>
      installedPackage({
        name,
        epoch: 0,
        version: '1',
        release: '1',
        arch: 'noarch',
        license: 'MIT',
        sourceRpm: null,
        sizeBytes: 1,
      }),
    );
    const document = buildImageSbom(buildImageManifest(sampleManifestInput({ packages: twins })));
    expect(document.packages.slice(1).map((p) => p.SPDXID)).toEqual([
      'SPDXRef-Package-a-b-1-1.noarch',
      'SPDXRef-Package-a-b-1-1.noarch-2',
    ]);
    expect(validate(written(document))).toBe(true);
  });

  it('takes the supplier and purl vendor it is given', () => {
    const document = buildImageSbom(sampleManifest(), {
      supplier: 'Organization: Contoso',
      purlVendor: 'Contoso',
    });
    expect(packageNamed(document, 'bash').supplier).toBe('Organization: Contoso');
    expect(packageNamed(document, 'bash').externalRefs?.[0]?.referenceLocator).toBe(
      'pkg:rpm/contoso/bash@5.2.26-3.azl3?arch=x86_64',
    );
  });
});

describe('determinism', () => {
  it('writes the same bytes for the same manifest, with keys sorted', () => {
    const first = imageSbomJson(buildImageSbom(sampleManifest()));
    expect(imageSbomJson(buildImageSbom(sampleManifest()))).toBe(first);
    expect(Object.keys(JSON.parse(first) as object)).toEqual([
      'SPDXID',
      'creationInfo',
      'dataLicense',
      'documentNamespace',
      'hasExtractedLicensingInfos',
      'name',
      'packages',
      'relationships',
      'spdxVersion',
    ]);
  });

  it('has a namespace URI made of image, version and fingerprint, the same for a rebuild and new for a new fingerprint', () => {
    const manifest = sampleManifest();
    const namespace = documentNamespace(manifest);
    expect(namespace).toBe(
      'urn:azl-rebuilder:spdx:image:vm-base:3.0.20261206.1:sha256%3A5d41402abc4b2a76b9719d911017c592a1b3c4d5e6f708192a3b4c5d6e7f8091',
    );
    expect(URL.canParse(namespace)).toBe(true);
    expect(namespace).not.toContain('#');
    const later = buildImageManifest(sampleManifestInput({ builtAt: new Date('2027-01-01T00:00:00Z') }));
    expect(documentNamespace(later)).toBe(namespace);
    const moved = buildImageManifest(sampleManifestInput({ fingerprint: 'sha256:other' }));
    expect(documentNamespace(moved)).not.toBe(namespace);
  });
});
