import { describe, expect, it } from 'vitest';
import type { PipelineError } from '../../../shared/errors';
import { parseKiwiDescription } from '../../../shared/images/parse-kiwi';
import { thrownPipelineError } from '../../../testing/failures';
import {
  CONTAINER_BASE,
  CONTAINER_BASE_FILE,
  VM_BASE,
  VM_BASE_FILE,
  VM_BASE_IMAGE_PACKAGES,
  edited,
} from './kiwi-fixtures';

const FILE = '/tree/base/images/vm-base/vm-base.kiwi';

describe('parsing the real vm-base.kiwi', () => {
  const description = parseKiwiDescription(VM_BASE, VM_BASE_FILE);
  const type = description.preferences[0]?.types[0];

  it('reads the image, its preferences and its one type with every setting', () => {
    expect(description.name).toBe('azl4-vm-base');
    expect(description.schemaVersion).toBe('8.3');
    expect(description.profiles).toEqual([]);
    expect(description.preferences).toHaveLength(1);
    expect(description.preferences[0]).toMatchObject({
      profiles: [],
      version: '0.1',
      packageManager: 'dnf5',
      locale: 'en_US',
      keytable: 'us',
      timezone: 'UTC',
      releaseVersion: '4.0',
    });
    expect(type).toEqual({
      image: 'oem',
      primary: false,
      format: 'vhd-fixed',
      formatOptions: ['force_size'],
      initrdSystem: 'dracut',
      filesystem: 'ext4',
      kernelCmdline: 'console=ttyS0 rd.shell=0',
      firmware: 'uefi',
      overlayRoot: false,
      efiCsm: false,
      bootPartition: false,
      efiPartSizeMiB: 200,
      rootfsLabel: 'azurelinux',
      bootloader: { name: 'grub2', bls: true, console: 'serial', timeout: 1 },
      size: { value: 5, unit: 'G', additive: false },
      oemConfig: { resize: false },
      partitions: [],
    });
  });

  it('reads both package lists with their arch filters, and the repository to replace', () => {
    const [image, bootstrap] = description.packages;
    expect(image?.type).toBe('image');
    expect(image?.packages.map((p) => p.name)).toEqual(VM_BASE_IMAGE_PACKAGES);
    expect(image?.packages.every((p) => p.arch === undefined)).toBe(true);
    expect(bootstrap?.type).toBe('bootstrap');
    expect(bootstrap?.packages).toEqual([
      { name: 'azurelinux-release-cloud' },
      { name: 'filesystem' },
      { name: 'grub2-efi-x64-modules', arch: ['x86_64'] },
      { name: 'grub2-efi-x64', arch: ['x86_64'] },
      { name: 'grub2-efi-aa64-modules', arch: ['aarch64'] },
      { name: 'grub2-efi-aa64', arch: ['aarch64'] },
      { name: 'shim', arch: ['x86_64'] },
      { name: 'shim', arch: ['aarch64'] },
    ]);
    expect(description.repositories).toEqual([
      {
        profiles: [],
        type: 'rpm-md',
        alias: 'fedora-43-everything',
        path: 'https://stcontroltowerdevjwisitg.blob.core.windows.net/daily-repo-non-prod/20260303/x86_64/',
      },
    ]);
  });
});

describe('parsing the real container-base.kiwi', () => {
  const description = parseKiwiDescription(CONTAINER_BASE, CONTAINER_BASE_FILE);

  it('reads the four profiles and binds each preferences and packages section to its profiles', () => {
    expect(description.profiles.map((p) => [p.name, p.import])).toEqual([
      ['core', true],
      ['distroless-minimal', true],
      ['distroless-base', true],
      ['distroless-debug', true],
    ]);
    expect(description.preferences.map((p) => p.profiles)).toEqual([
      [],
      ['core'],
      ['distroless-minimal'],
      ['distroless-base'],
      ['distroless-debug'],
    ]);
    expect(description.packages.map((p) => [p.type, p.profiles])).toEqual([
      ['image', ['core']],
      ['image', ['distroless-minimal', 'distroless-base', 'distroless-debug']],
      ['image', ['distroless-base', 'distroless-debug']],
      ['image', ['distroless-debug']],
      ['bootstrap', ['core', 'distroless-minimal', 'distroless-base', 'distroless-debug']],
      ['bootstrap', ['distroless-minimal', 'distroless-base', 'distroless-debug']],
    ]);
  });

  it('reads each container configuration, a subcommand to run or one cleared', () => {
    const configs = description.preferences.flatMap((p) => p.types).map((t) => [t.image, t.containerConfig]);
    expect(configs).toHaveLength(4);
    expect(configs[0]).toEqual([
      'oci',
      {
        name: 'microsoft/azurelinux/base/core',
        tag: '4.0',
        additionalNames: [':latest'],
        user: 'root',
        workingDir: '/',
        subcommand: { clear: false, execute: '/bin/bash', arguments: [] },
        environment: {},
        labels: {},
      },
    ]);
    expect(configs.slice(1).map(([, c]) => typeof c === 'object' && [c.name, c.subcommand])).toEqual([
      ['microsoft/azurelinux/distroless/minimal', { clear: true }],
      ['microsoft/azurelinux/distroless/base', { clear: true }],
      ['microsoft/azurelinux/distroless/debug', { clear: true }],
    ]);
  });
});

describe('what the parser refuses', () => {
  const refused = (
    text: string,
    code: 'image.invalid-definition' | 'image.unsupported-setting',
  ): PipelineError => thrownPipelineError(() => parseKiwiDescription(text, FILE), code);

  it('refuses text that is not XML, naming the file and where it stopped', () => {
    const error = refused(edited(VM_BASE, '</preferences>', '</preference>'), 'image.invalid-definition');
    expect(error.context).toMatchObject({ file: FILE, line: 35 });
    expect(error.message).toMatch(new RegExp(`^${FILE}:35:\\d+: not XML: `));
    expect(refused('this is not xml', 'image.invalid-definition').context.file).toBe(FILE);
    expect(refused('', 'image.invalid-definition').message).toContain(FILE);
  });

  it('accepts the schema location attributes of <image>, which hold no setting', () => {
    const hinted = edited(
      VM_BASE,
      '<image schemaversion="8.3"',
      '<image xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:noNamespaceSchemaLocation="kiwi.xsd" schemaversion="8.3"',
    );
    expect(parseKiwiDescription(hinted, FILE).name).toBe('azl4-vm-base');
    const withId = edited(VM_BASE, '<image schemaversion="8.3"', '<image id="42" schemaversion="8.3"');
    expect(refused(withId, 'image.unsupported-setting').context.element).toBe('image@id');
  });

  it('refuses XML that is not a kiwi image', () => {
    const error = refused('<?xml version="1.0"?><config name="x"/>', 'image.invalid-definition');
    expect(error.message).toBe(`${FILE}: config: the root element of a kiwi description is <image>`);
  });

  it('refuses an image type it does not carry, naming the element and the value', () => {
    const error = refused(edited(VM_BASE, 'image="oem"', 'image="iso"'), 'image.unsupported-setting');
    expect(error.context).toEqual({ file: FILE, element: 'image/preferences/type@image', value: 'iso' });
    expect(error.message).toBe(
      `${FILE}: image/preferences/type@image: value 'iso' is not supported (supported: oem, oci, docker)`,
    );
    expect(
      refused(edited(VM_BASE, 'image="oem"', 'image="floppy"'), 'image.unsupported-setting').context.value,
    ).toBe('floppy');
  });

  it('refuses an unknown disk format', () => {
    const error = refused(
      edited(VM_BASE, 'format="vhd-fixed"', 'format="vhd-fixd"'),
      'image.unsupported-setting',
    );
    expect(error.context).toEqual({
      file: FILE,
      element: 'image/preferences/type@format',
      value: 'vhd-fixd',
    });
  });

  it('refuses an attribute the model does not carry, naming its element path', () => {
    const error = refused(
      edited(VM_BASE, 'rootfs_label=', 'foo="1" rootfs_label='),
      'image.unsupported-setting',
    );
    expect(error.context).toEqual({ file: FILE, element: 'image/preferences/type@foo' });
    expect(error.message).toBe(
      `${FILE}: image/preferences/type@foo: the image model does not carry this attribute`,
    );
    const onPackage = refused(
      edited(VM_BASE, '<package name="bash" />', '<package name="bash" bootinclude="true" />'),
      'image.unsupported-setting',
    );
    expect(onPackage.context.element).toBe('image/packages/package@bootinclude');
  });

  it('refuses an element the model does not carry, at any depth', () => {
    const inType = refused(
      edited(VM_BASE, '<size unit="G">5</size>', '<size unit="G">5</size><systemdisk name="vg"/>'),
      'image.unsupported-setting',
    );
    expect(inType.context).toEqual({ file: FILE, element: 'image/preferences/type/systemdisk' });
    const inOem = refused(
      edited(
        VM_BASE,
        '<oem-resize>false</oem-resize>',
        '<oem-resize>false</oem-resize><oem-reboot>true</oem-reboot>',
      ),
      'image.unsupported-setting',
    );
    expect(inOem.context.element).toBe('image/preferences/type/oemconfig/oem-reboot');
    const atTop = refused(
      edited(VM_BASE, '</image>', '<drivers><file name="x"/></drivers></image>'),
      'image.unsupported-setting',
    );
    expect(atTop.context.element).toBe('image/drivers');
    const archive = refused(
      edited(VM_BASE, '<package name="bash" />', '<archive name="root.tar.gz" />'),
      'image.unsupported-setting',
    );
    expect(archive.context.element).toBe('image/packages/archive');
  });

  it('refuses text inside an element that holds none, and malformed values', () => {
    const text = refused(
      edited(VM_BASE, '<package name="tar" />', '<package name="tar">x</package>'),
      'image.unsupported-setting',
    );
    expect(text.context.element).toBe('image/packages/package');
    const size = refused(
      edited(VM_BASE, '<size unit="G">5</size>', '<size unit="G">five</size>'),
      'image.invalid-definition',
    );
    expect(size.message).toBe(`${FILE}: image/preferences/type/size: 'five' is not a whole number`);
    const boolean = refused(edited(VM_BASE, 'bls="true"', 'bls="yes"'), 'image.invalid-definition');
    expect(boolean.context).toEqual({ file: FILE, element: 'image/preferences/type/bootloader@bls' });
    const unnamed = refused(
      edited(VM_BASE, '<package name="tar" />', '<package />'),
      'image.invalid-definition',
    );
    expect(unnamed.context.element).toBe('image/packages/package@name');
  });

  it('refuses a section bound to a profile that is not declared', () => {
    const error = refused(
      edited(
        CONTAINER_BASE,
        '<packages type="image" profiles="core">',
        '<packages type="image" profiles="cor">',
      ),
      'image.invalid-definition',
    );
    expect(error.context.element).toBe('image/packages@profiles');
    expect(error.message).toContain("profile 'cor' is not declared");
  });

  it('refuses disk settings on a container type and a container configuration on a disk type', () => {
    const onContainer = refused(
      edited(CONTAINER_BASE, '<type image="oci">', '<type image="oci" format="vhd-fixed">'),
      'image.unsupported-setting',
    );
    expect(onContainer.context).toEqual({ file: FILE, element: 'image/preferences/type@format' });
    expect(onContainer.message).toBe(
      `${FILE}: image/preferences/type@format: the image model carries this for image="oem" only`,
    );
    const sized = refused(
      edited(CONTAINER_BASE, '<type image="oci">', '<type image="oci"><size unit="G">1</size>'),
      'image.unsupported-setting',
    );
    expect(sized.context.element).toBe('image/preferences/type/size');
    const onDisk = refused(
      edited(VM_BASE, '<size unit="G">5</size>', '<size unit="G">5</size><containerconfig name="x"/>'),
      'image.unsupported-setting',
    );
    expect(onDisk.context.element).toBe('image/preferences/type/containerconfig');
  });

  it('refuses a non-RPM package manager and a repository type dnf cannot read', () => {
    expect(
      refused(edited(VM_BASE, '<packagemanager>dnf5', '<packagemanager>zypper'), 'image.unsupported-setting')
        .context,
    ).toEqual({ file: FILE, element: 'image/preferences/packagemanager', value: 'zypper' });
    expect(
      refused(edited(VM_BASE, 'type="rpm-md"', 'type="apt-deb"'), 'image.unsupported-setting').context
        .element,
    ).toBe('image/repository@type');
  });
});
