import { ElementReader } from './element-reader';
import {
  BOOTLOADERS,
  DISK_FORMATS,
  FIRMWARES,
  IMAGE_KINDS,
  INITRD_SYSTEMS,
  PACKAGES_SECTIONS,
  PACKAGE_MANAGERS,
  PARTITION_FILESYSTEMS,
  ROOT_FILESYSTEMS,
} from './kiwi-description';
import type {
  ArchFiltered,
  ImageKind,
  KiwiAbout,
  KiwiBootloader,
  KiwiCommand,
  KiwiContainerConfig,
  KiwiDescription,
  KiwiOemConfig,
  KiwiOption,
  KiwiPackages,
  KiwiPartition,
  KiwiPreferences,
  KiwiProfile,
  KiwiRepository,
  KiwiSize,
  KiwiType,
  KiwiUsers,
} from './kiwi-description';
import { parseXmlTree } from './xml-tree';

/**
 * Parses a kiwi image description (`file` names it in errors). Not XML, or a malformed or missing value:
 * `image.invalid-definition`; an element, attribute or value the model does not carry (see
 * `kiwi-description.ts`): `image.unsupported-setting`. Both name the file and the element path.
 */
export function parseKiwiDescription(text: string, file: string): KiwiDescription {
  const root = parseXmlTree(text, file);
  const image = new ElementReader(root, root.name, file);
  if (root.name !== 'image') {
    throw image.invalid(root.name, 'the root element of a kiwi description is <image>');
  }
  const about = image.child('description');
  if (about === undefined) throw image.invalid('image/description', 'is required');
  const preferences = image.children('preferences').map(readPreferences);
  if (preferences.length === 0) throw image.invalid('image/preferences', 'is required');
  const parsed: KiwiDescription = {
    file,
    name: image.required('name'),
    ...optional('displayName', image.string('displayname')),
    schemaVersion: image.required('schemaversion'),
    description: readAbout(about),
    profiles: image.children('profiles').flatMap((p) => finished(p, p.children('profile').map(readProfile))),
    preferences,
    repositories: image.children('repository').map(readRepository),
    packages: image.children('packages').map(readPackages),
    users: image.children('users').map(readUsers),
  };
  // Where a validator finds the schema: no setting, nothing for the model to carry.
  for (const schemaHint of ['xmlns:xsi', 'xsi:noNamespaceSchemaLocation', 'xsi:schemaLocation']) {
    image.string(schemaHint);
  }
  image.finish();
  refuseUndeclaredProfiles(parsed, image);
  return parsed;
}

/** A section bound to a profile that `<profiles>` does not declare could never apply: a mistake in the file. */
function refuseUndeclaredProfiles(parsed: KiwiDescription, image: ElementReader): void {
  const declared = new Set(parsed.profiles.map((p) => p.name));
  const sections: [string, readonly string[]][] = [
    ...parsed.profiles.map((p): [string, readonly string[]] => [
      'image/profiles/profile/requires',
      p.requires,
    ]),
    ...parsed.preferences.map((p): [string, readonly string[]] => ['image/preferences', p.profiles]),
    ...parsed.repositories.map((r): [string, readonly string[]] => ['image/repository', r.profiles]),
    ...parsed.packages.map((p): [string, readonly string[]] => ['image/packages', p.profiles]),
    ...parsed.users.map((u): [string, readonly string[]] => ['image/users', u.profiles]),
  ];
  for (const [path, names] of sections) {
    const unknown = names.find((name) => !declared.has(name));
    if (unknown !== undefined) {
      throw image.invalid(
        `${path}@profile${path.endsWith('requires') ? '' : 's'}`,
        `profile '${unknown}' is not declared in <profiles>`,
      );
    }
  }
}

function readAbout(about: ElementReader): KiwiAbout {
  const contacts = about.children('contact').map((c) => finished(c, c.text()));
  const read: KiwiAbout = {
    type: about.oneOf('type', ['system', 'boot'] as const) ?? required(about, 'type'),
    author: about.childText('author') ?? required(about, 'author', 'element'),
    contacts,
    specification: about.childText('specification') ?? required(about, 'specification', 'element'),
    ...optional('license', about.childText('license')),
  };
  return finished(about, read);
}

function readProfile(profile: ElementReader): KiwiProfile {
  return finished(profile, {
    name: profile.required('name'),
    description: profile.required('description'),
    import: profile.boolean('import') ?? false,
    requires: profile.children('requires').map((r) => finished(r, r.required('profile'))),
  });
}

function readPreferences(preferences: ElementReader): KiwiPreferences {
  return finished(preferences, {
    profiles: preferences.list('profiles') ?? [],
    ...optional('version', preferences.childText('version')),
    ...optional('packageManager', textOneOf(preferences, 'packagemanager', PACKAGE_MANAGERS)),
    ...optional('locale', preferences.childText('locale')),
    ...optional('keytable', preferences.childText('keytable')),
    ...optional('timezone', preferences.childText('timezone')),
    ...optional('releaseVersion', preferences.childText('release-version')),
    ...optional('rpmExcludeDocs', preferences.childBoolean('rpm-excludedocs')),
    ...optional('rpmCheckSignatures', preferences.childBoolean('rpm-check-signatures')),
    ...optional('rpmLocaleFiltering', preferences.childBoolean('rpm-locale-filtering')),
    types: preferences.children('type').map(readType),
  });
}

/** `<type>` attributes and children that describe a disk: the model carries them for `image="oem"` only. */
const DISK_ATTRIBUTES = [
  'format',
  'formatoptions',
  'filesystem',
  'firmware',
  'kernelcmdline',
  'initrd_system',
  'bootpartition',
  'bootpartsize',
  'efipartsize',
  'efiparttable',
  'eficsm',
  'overlayroot',
  'rootfs_label',
  'devicepersistency',
  'fsmountoptions',
];
const DISK_CHILDREN = ['bootloader', 'size', 'oemconfig', 'partitions'];

function readType(type: ElementReader): KiwiType {
  const image = type.oneOf('image', IMAGE_KINDS) ?? required(type, 'image');
  refuseSettingsOfOtherKinds(type, image);
  const bootloader = type.child('bootloader');
  const size = type.child('size');
  const oemConfig = type.child('oemconfig');
  const containerConfig = type.child('containerconfig');
  return finished(type, {
    image,
    primary: type.boolean('primary') ?? false,
    ...optional('format', type.oneOf('format', DISK_FORMATS)),
    formatOptions: type.list('formatoptions') ?? [],
    ...optional('filesystem', type.oneOf('filesystem', ROOT_FILESYSTEMS)),
    ...optional('firmware', type.oneOf('firmware', FIRMWARES)),
    ...optional('kernelCmdline', type.string('kernelcmdline')),
    ...optional('initrdSystem', type.oneOf('initrd_system', INITRD_SYSTEMS)),
    ...optional('bootPartition', type.boolean('bootpartition')),
    ...optional('bootPartSizeMiB', type.integer('bootpartsize')),
    ...optional('efiPartSizeMiB', type.integer('efipartsize')),
    ...optional('efiPartTable', type.oneOf('efiparttable', ['gpt', 'msdos'] as const)),
    ...optional('efiCsm', type.boolean('eficsm')),
    ...optional('overlayRoot', type.boolean('overlayroot')),
    ...optional('rootfsLabel', type.string('rootfs_label')),
    ...optional(
      'devicePersistency',
      type.oneOf('devicepersistency', ['by-uuid', 'by-label', 'by-partuuid'] as const),
    ),
    ...optional('fsMountOptions', type.string('fsmountoptions')),
    ...optional('bootloader', bootloader && readBootloader(bootloader)),
    ...optional('size', size && readSize(size)),
    ...optional('oemConfig', oemConfig && readOemConfig(oemConfig)),
    partitions: type
      .children('partitions')
      .flatMap((p) => finished(p, p.children('partition').map(readPartition))),
    ...optional('containerConfig', containerConfig && readContainerConfig(containerConfig)),
  });
}

/**
 * A disk setting on a container type, or a container configuration on a disk type, would reach no image: kiwi
 * ignores or refuses it, and the model does not carry it there.
 */
function refuseSettingsOfOtherKinds(type: ElementReader, image: ImageKind): void {
  const misplaced =
    image === 'oem'
      ? type.hasChild('containerconfig') && `${type.path}/containerconfig`
      : (attributePath(
          type,
          DISK_ATTRIBUTES.find((name) => type.has(name)),
        ) ??
        childPath(
          type,
          DISK_CHILDREN.find((name) => type.hasChild(name)),
        ));
  if (!misplaced) return;
  const carried = image === 'oem' ? 'image="oci" or "docker"' : 'image="oem"';
  throw type.unsupported(misplaced, `the image model carries this for ${carried} only`);
}

const attributePath = (reader: ElementReader, name: string | undefined): string | undefined =>
  name === undefined ? undefined : `${reader.path}@${name}`;
const childPath = (reader: ElementReader, name: string | undefined): string | undefined =>
  name === undefined ? undefined : `${reader.path}/${name}`;

function readBootloader(loader: ElementReader): KiwiBootloader {
  const settings = loader.child('bootloadersettings');
  return finished(loader, {
    name: loader.oneOf('name', BOOTLOADERS) ?? required(loader, 'name'),
    ...optional('bls', loader.boolean('bls')),
    ...optional('console', loader.string('console')),
    ...optional('serialLine', loader.string('serial_line')),
    ...optional('timeout', loader.integer('timeout')),
    ...optional('timeoutStyle', loader.oneOf('timeout_style', ['countdown', 'hidden', 'menu'] as const)),
    ...optional(
      'settings',
      settings &&
        finished(settings, {
          shimOptions: settings.children('shimoption').map(readOption),
          installOptions: settings.children('installoption').map(readOption),
          configOptions: settings.children('configoption').map(readOption),
        }),
    ),
  });
}

function readOption(option: ElementReader): KiwiOption {
  return finished(option, { name: option.required('name'), ...optional('value', option.string('value')) });
}

function readSize(size: ElementReader): KiwiSize {
  return finished(size, {
    value: size.integerText(),
    unit: size.oneOf('unit', ['M', 'G'] as const) ?? 'M',
    additive: size.boolean('additive') ?? false,
  });
}

function readOemConfig(oem: ElementReader): KiwiOemConfig {
  return finished(oem, {
    ...optional('resize', oem.childBoolean('oem-resize')),
    ...optional('resizeOnce', oem.childBoolean('oem-resize-once')),
    ...optional('swap', oem.childBoolean('oem-swap')),
    ...optional('swapSizeMiB', oem.childInteger('oem-swapsize')),
    ...optional('systemSizeMiB', oem.childInteger('oem-systemsize')),
  });
}

function readPartition(partition: ElementReader): KiwiPartition {
  const size = partition.required('size');
  const match = /^(\d+)([MG]?)$/.exec(size);
  if (match === null)
    throw partition.invalid(`${partition.path}@size`, `'${size}' is not a size (200, 200M, 2G)`);
  const amount = Number(match[1]);
  return finished(partition, {
    name: partition.required('name'),
    sizeMiB: match[2] === 'G' ? amount * 1024 : amount,
    ...optional('partitionName', partition.string('partition_name')),
    ...optional('partitionType', partition.oneOf('partition_type', ['t.linux', 't.raid'] as const)),
    ...optional('mountpoint', partition.string('mountpoint')),
    ...optional('filesystem', partition.oneOf('filesystem', PARTITION_FILESYSTEMS)),
  });
}

function readContainerConfig(config: ElementReader): KiwiContainerConfig {
  const entrypoint = config.child('entrypoint');
  const subcommand = config.child('subcommand');
  return finished(config, {
    name: config.required('name'),
    ...optional('tag', config.string('tag')),
    additionalNames: config.list('additionalnames') ?? [],
    ...optional('maintainer', config.string('maintainer')),
    ...optional('user', config.string('user')),
    ...optional('workingDir', config.string('workingdir')),
    ...optional('entrypoint', entrypoint && readCommand(entrypoint)),
    ...optional('subcommand', subcommand && readCommand(subcommand)),
    environment: namedValues(config, 'environment', 'env'),
    labels: namedValues(config, 'labels', 'label'),
  });
}

/** `<entrypoint>` / `<subcommand>`: `execute` with `<argument name>` children, or `clear="true"`. */
function readCommand(command: ElementReader): KiwiCommand {
  const execute = command.string('execute');
  const clear = command.boolean('clear') ?? false;
  const args = command.children('argument').map((a) => finished(a, a.required('name')));
  if (clear === (execute !== undefined)) {
    throw command.invalid(command.path, 'needs either execute or clear="true"');
  }
  return finished(
    command,
    execute === undefined ? { clear: true } : { clear: false, execute, arguments: args },
  );
}

/** `<environment><env name value/></environment>`-style maps. */
function namedValues(config: ElementReader, outer: string, inner: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const section of config.children(outer)) {
    for (const entry of section.children(inner)) {
      out[entry.required('name')] = entry.string('value') ?? required(entry, 'value');
      entry.finish();
    }
    section.finish();
  }
  return out;
}

function readRepository(repository: ElementReader): KiwiRepository {
  const sources = repository.children('source');
  const source = sources[0];
  if (source === undefined || sources.length > 1) {
    throw repository.invalid(`${repository.path}/source`, 'a repository has exactly one <source>');
  }
  return finished(repository, {
    profiles: repository.list('profiles') ?? [],
    type: repository.oneOf('type', ['rpm-md'] as const) ?? 'rpm-md',
    ...optional('alias', repository.string('alias')),
    ...optional('priority', repository.integer('priority')),
    ...optional('imageInclude', repository.boolean('imageinclude')),
    ...optional('repositoryGpgCheck', repository.boolean('repository_gpgcheck')),
    ...optional('packageGpgCheck', repository.boolean('package_gpgcheck')),
    ...optional('sourceType', repository.oneOf('sourcetype', ['baseurl', 'metalink', 'mirrorlist'] as const)),
    path: finished(source, source.required('path')),
  });
}

function readPackages(packages: ElementReader): KiwiPackages {
  return finished(packages, {
    type: packages.oneOf('type', PACKAGES_SECTIONS) ?? required(packages, 'type'),
    profiles: packages.list('profiles') ?? [],
    packages: packages.children('package').map(readArchFiltered),
    collections: packages.children('namedCollection').map(readArchFiltered),
    ignore: packages.children('ignore').map(readArchFiltered),
  });
}

function readArchFiltered(entry: ElementReader): ArchFiltered {
  return finished(entry, { name: entry.required('name'), ...optional('arch', entry.list('arch')) });
}

function readUsers(users: ElementReader): KiwiUsers {
  return finished(users, {
    profiles: users.list('profiles') ?? [],
    users: users.children('user').map((user) =>
      finished(user, {
        name: user.required('name'),
        password: user.string('password') ?? required(user, 'password'),
        ...optional('passwordFormat', user.oneOf('pwdformat', ['encrypted', 'plain'] as const)),
        ...optional('id', user.integer('id')),
        ...optional('groups', user.list('groups')),
        ...optional('home', user.string('home')),
        ...optional('shell', user.string('shell')),
        ...optional('realName', user.string('realname')),
      }),
    ),
  });
}

/** A text element whose value must be one of `supported`. */
function textOneOf<T extends string>(
  parent: ElementReader,
  name: string,
  supported: readonly T[],
): T | undefined {
  const value = parent.childText(name);
  if (value === undefined) return undefined;
  if (!(supported as readonly string[]).includes(value)) {
    throw parent.unsupported(
      `${parent.path}/${name}`,
      `value '${value}' is not supported (supported: ${supported.join(', ')})`,
      value,
    );
  }
  return value as T;
}

/** `value` after refusing whatever `reader` did not read. */
function finished<T>(reader: ElementReader, value: T): T {
  reader.finish();
  return value;
}

function required(reader: ElementReader, name: string, kind: 'attribute' | 'element' = 'attribute'): never {
  throw reader.invalid(
    kind === 'attribute' ? `${reader.path}@${name}` : `${reader.path}/${name}`,
    'is required',
  );
}

/** `{ key: value }` when the value is present, `{}` otherwise, so absent settings leave no key behind. */
function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}
