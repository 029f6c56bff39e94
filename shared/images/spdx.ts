import { canonicalJson } from './canonical-json';
import type { InstalledPackage } from './installed-package';
import type { ImageManifest } from './manifest';
import { rpmPurl } from './purl';
import { canonicalSpdxExpression, licenseRefsOf } from './spdx-license-expression';

/**
 * The SBOM of a built image: an SPDX 2.3 JSON document made from its manifest. A root package stands for the
 * image (the VHD: its file name and SHA-256); the document DESCRIBES it and it CONTAINS one package per
 * installed RPM, each with its NEVRA-derived SPDX id, `[epoch:]version-release`, the License tag when it is
 * an SPDX expression (else NOASSERTION, the tag kept in `licenseComments`), and its purl; each
 * `LicenseRef-` used is defined in `hasExtractedLicensingInfos`. Files are not analysed (`filesAnalyzed:
 * false`). Everything comes from the manifest, `created` from its build time, so
 * the same manifest gives the same bytes (`imageSbomJson`).
 */
export interface SpdxDocument {
  readonly spdxVersion: 'SPDX-2.3';
  readonly dataLicense: 'CC0-1.0';
  readonly SPDXID: 'SPDXRef-DOCUMENT';
  readonly name: string;
  readonly documentNamespace: string;
  readonly creationInfo: { readonly created: string; readonly creators: readonly string[] };
  readonly packages: readonly SpdxPackage[];
  readonly relationships: readonly SpdxRelationship[];
  /** One entry per `LicenseRef-` id the packages' licenses use (SPDX requires each to be defined). */
  readonly hasExtractedLicensingInfos?: readonly SpdxExtractedLicense[];
}

export interface SpdxExtractedLicense {
  readonly licenseId: string;
  readonly name: string;
  readonly extractedText: string;
}

export interface SpdxPackage {
  readonly SPDXID: string;
  readonly name: string;
  readonly versionInfo: string;
  readonly supplier: string;
  readonly downloadLocation: 'NOASSERTION';
  readonly filesAnalyzed: false;
  readonly licenseConcluded: string;
  readonly licenseDeclared: string;
  readonly licenseComments?: string;
  readonly copyrightText: 'NOASSERTION';
  readonly sourceInfo?: string;
  readonly packageFileName?: string;
  readonly primaryPackagePurpose?: 'OPERATING-SYSTEM';
  readonly checksums?: readonly { readonly algorithm: 'SHA256'; readonly checksumValue: string }[];
  readonly comment?: string;
  readonly externalRefs?: readonly {
    readonly referenceCategory: 'PACKAGE-MANAGER';
    readonly referenceType: 'purl';
    readonly referenceLocator: string;
  }[];
}

export interface SpdxRelationship {
  readonly spdxElementId: string;
  readonly relationshipType: 'DESCRIBES' | 'CONTAINS';
  readonly relatedSpdxElement: string;
}

export interface ImageSbomOptions {
  /**
   * Who supplied the packages, in SPDX's agent syntax (`Organization: <name>`); NOASSERTION by default, since
   * the pipeline does not know who runs it.
   */
  readonly supplier?: string;
  /** The purl namespace of the packages (default `azurelinux`). */
  readonly purlVendor?: string;
}

const NOASSERTION = 'NOASSERTION';
const DOCUMENT_ID = 'SPDXRef-DOCUMENT';

export function buildImageSbom(manifest: ImageManifest, options: ImageSbomOptions = {}): SpdxDocument {
  const supplier = options.supplier ?? NOASSERTION;
  const { name, version } = manifest.image;
  const rootId = `SPDXRef-Image-${sanitiseIdPart(name)}`;
  const root: SpdxPackage = {
    SPDXID: rootId,
    name,
    versionInfo: version,
    supplier,
    downloadLocation: NOASSERTION,
    filesAnalyzed: false,
    licenseConcluded: NOASSERTION,
    licenseDeclared: NOASSERTION,
    copyrightText: NOASSERTION,
    packageFileName: manifest.vhd.file,
    primaryPackagePurpose: 'OPERATING-SYSTEM',
    checksums: [{ algorithm: 'SHA256', checksumValue: manifest.vhd.sha256 }],
    comment: `image fingerprint ${manifest.fingerprint}`,
  };
  const ids = packageIds(manifest.packages);
  const packages = manifest.packages.map((pkg, index) =>
    rpmPackage(pkg, ids[index] ?? '', supplier, options.purlVendor),
  );
  const licenseRefs = licenseRefsOf(packages.map((p) => p.licenseDeclared).join(' '));
  return {
    ...(licenseRefs.length === 0 ? {} : { hasExtractedLicensingInfos: licenseRefs.map(extractedLicense) }),
    spdxVersion: 'SPDX-2.3',
    dataLicense: 'CC0-1.0',
    SPDXID: DOCUMENT_ID,
    name: `${name}-${version}`,
    documentNamespace: documentNamespace(manifest),
    creationInfo: {
      created: spdxTimestamp(manifest.builtAt),
      creators: [`Tool: azl-rebuilder-${manifest.builder.version}`],
    },
    packages: [root, ...packages],
    relationships: [
      { spdxElementId: DOCUMENT_ID, relationshipType: 'DESCRIBES', relatedSpdxElement: rootId },
      ...packages.map((pkg) => ({
        spdxElementId: rootId,
        relationshipType: 'CONTAINS' as const,
        relatedSpdxElement: pkg.SPDXID,
      })),
    ],
  };
}

/** The bytes of the SBOM file. */
export function imageSbomJson(document: SpdxDocument): string {
  return canonicalJson(document);
}

/**
 * A URI unique to this image build and the same for every rebuild of it: the image name, version and
 * fingerprint, each percent-encoded (a fingerprint may hold `:`), in a URN of the project's own namespace
 * (SPDX asks for a unique URI, not one that can be fetched, and the document has no home of its own).
 */
export function documentNamespace(manifest: ImageManifest): string {
  const parts = [manifest.image.name, manifest.image.version, manifest.fingerprint];
  return `urn:azl-rebuilder:spdx:image:${parts.map(encodeURIComponent).join(':')}`;
}

/**
 * The definition of a `LicenseRef-` id (Fedora's `LicenseRef-Fedora-Public-Domain`, for instance). SPDX asks
 * for the license's text, which an RPM header does not carry, so the text says where the name comes from.
 */
function extractedLicense(licenseId: string): SpdxExtractedLicense {
  return {
    licenseId,
    name: licenseId.slice('LicenseRef-'.length),
    extractedText: `${licenseId}, as named by the RPM License tag; the package header carries no license text.`,
  };
}

/** `[epoch:]version-release`, the epoch only when it is not 0. */
export function rpmVersionInfo(pkg: InstalledPackage): string {
  return `${pkg.epoch === 0 ? '' : `${pkg.epoch}:`}${pkg.version}-${pkg.release}`;
}

function rpmPackage(
  pkg: InstalledPackage,
  id: string,
  supplier: string,
  purlVendor: string | undefined,
): SpdxPackage {
  const license = pkg.license === null ? undefined : canonicalSpdxExpression(pkg.license);
  return {
    SPDXID: id,
    name: pkg.name,
    versionInfo: rpmVersionInfo(pkg),
    supplier,
    downloadLocation: NOASSERTION,
    filesAnalyzed: false,
    licenseConcluded: license ?? NOASSERTION,
    licenseDeclared: license ?? NOASSERTION,
    ...(pkg.license !== null && license === undefined
      ? { licenseComments: `The RPM License tag is not an SPDX license expression: ${pkg.license}` }
      : {}),
    copyrightText: NOASSERTION,
    ...(pkg.sourceRpm === null ? {} : { sourceInfo: `built from the source RPM ${pkg.sourceRpm}` }),
    externalRefs: [
      {
        referenceCategory: 'PACKAGE-MANAGER',
        referenceType: 'purl',
        referenceLocator: rpmPurl(pkg, purlVendor),
      },
    ],
  };
}

/**
 * `SPDXRef-Package-<NEVRA>`, every character SPDX ids do not allow (outside `A-Za-z0-9.-`) made `-`. Two
 * NEVRAs that sanitise alike (`a+b`, `a_b`) get `-2`, `-3`, ... in list order, which is sorted, so the ids are
 * unique and stable.
 */
export function packageIds(packages: readonly InstalledPackage[]): string[] {
  const used = new Set<string>();
  return packages.map((pkg) => {
    const base = `SPDXRef-Package-${sanitiseIdPart(pkg.nevra)}`;
    let id = base;
    for (let n = 2; used.has(id); n += 1) id = `${base}-${n}`;
    used.add(id);
    return id;
  });
}

function sanitiseIdPart(text: string): string {
  return text.replace(/[^A-Za-z0-9.-]/g, '-');
}

/** SPDX dates are UTC to the second (`2026-12-06T08:45:00Z`): no fraction. */
function spdxTimestamp(iso: string): string {
  return `${new Date(iso).toISOString().slice(0, 19)}Z`;
}
