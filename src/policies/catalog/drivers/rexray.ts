import type { DriverSpec, OptionSpec, PluginSettingTrap, RejectedValues } from '../types.js';

const LAST_RELEASE = 'v0.11.4 (2019)';

function volumeType(values: string[] | undefined, description: string, rejected?: RejectedValues[]): OptionSpec {
  return {
    name: 'volumeType',
    aliases: ['type'],
    type: values ? { kind: 'enum', values } : { kind: 'string' },
    description,
    example: values?.[0],
    ...(rejected ? { rejected } : {}),
  };
}

/**
 * The volume types Amazon EC2 takes (CreateVolume, VolumeType: gp2 | gp3 | io1 | io2 | st1 | sc1 | standard; AWS
 * SDK reference, CreateVolumeRequest.volumeType). REX-Ray passes the type on: any other value is refused there.
 * gp3 and io2 are still only unverified with REX-Ray's last release, so the catalog does not list them.
 */
const EBS_TYPE_REJECTED: RejectedValues[] = [
  {
    by: 'Amazon EC2 (CreateVolume)',
    allowed: ['gp2', 'gp3', 'io1', 'io2', 'st1', 'sc1', 'standard'],
    reason: 'it is not an EBS volume type, so creating the volume fails and the task is rejected',
    instead: 'an EBS volume type: gp2, io1, st1, sc1 or standard (gp3 and io2 exist, unverified with this plugin)',
  },
];

/**
 * EFS performance modes (CreateFileSystem, PerformanceMode: generalPurpose | maxIO; AWS SDK reference,
 * CreateFileSystemRequest.performanceMode), which the plugin's volume type sets: any other value is refused there.
 */
const EFS_MODE_REJECTED: RejectedValues[] = [
  {
    by: 'Amazon EFS (CreateFileSystem)',
    allowed: ['generalPurpose', 'maxIO'],
    reason: 'it is not an EFS performance mode, so creating the file system fails and the task is rejected',
    instead: 'generalPurpose or maxIO',
  },
];

/** Options shared by the REX-Ray storage plugins; the volume type differs per backend. */
function commonOptions(
  type: OptionSpec,
  { minSize, zone = 'Availability zone to create the volume in.' }: { minSize?: string; zone?: string } = {},
): OptionSpec[] {
  return [
    {
      name: 'size',
      type: { kind: 'size', format: { style: 'int', unit: 'GiB', bareUnit: 'GiB' }, ...(minSize ? { min: minSize } : {}) },
      description: 'Size as a whole number of GiB, without a unit.',
      example: '10',
    },
    type,
    { name: 'iops', type: { kind: 'int', min: 1 }, description: 'Provisioned IOPS.' },
    { name: 'availabilityZone', type: { kind: 'string' }, description: zone },
    { name: 'encrypted', type: { kind: 'bool' }, description: 'Create an encrypted volume.', example: 'true' },
    { name: 'volumeName', type: { kind: 'string' }, description: 'Create from the existing volume of this name.' },
    { name: 'volumeID', type: { kind: 'string' }, description: 'Create from the existing volume with this id.' },
    { name: 'snapshotName', type: { kind: 'string' }, description: 'Create from the snapshot of this name.' },
    { name: 'snapshotID', type: { kind: 'string' }, description: 'Create from the snapshot with this id.' },
  ];
}

const COMMON_TRAPS: PluginSettingTrap[] = [
  {
    option: 'fstype',
    setting: 'REXRAY_FSTYPE',
    message: 'REX-Ray has no per-volume filesystem type: it is the plugin setting REXRAY_FSTYPE.',
  },
  {
    option: 'preempt',
    setting: 'REXRAY_PREEMPT',
    message: 'Pre-emption (taking a volume attached to another node) is the plugin setting REXRAY_PREEMPT.',
  },
];

const EBS_TRAPS: PluginSettingTrap[] = [
  ...COMMON_TRAPS,
  { option: 'kmsKeyID', setting: 'EBS_KMSKEYID', message: 'The KMS key for encrypted EBS volumes is the plugin setting EBS_KMSKEYID.' },
  { option: 'encryptionKey', setting: 'EBS_KMSKEYID', message: 'The KMS key for encrypted EBS volumes is the plugin setting EBS_KMSKEYID.' },
];

type Backend = Pick<DriverSpec, 'name' | 'description' | 'attach' | 'zoneBound' | 'options'> & Partial<DriverSpec>;

function rexray(backend: Backend): DriverSpec {
  return {
    family: 'rexray',
    status: 'legacy',
    lastRelease: LAST_RELEASE,
    scope: 'global',
    caseInsensitiveKeys: true,
    unknownOptions: 'ignore',
    pluginSettings: COMMON_TRAPS,
    ...backend,
    notes: [
      'Option keys are case-insensitive (volumetype = volumeType = type).',
      ...(backend.notes ?? []),
    ],
  };
}

export const rexrayDrivers: DriverSpec[] = [
  rexray({
    name: 'rexray/ebs',
    description: 'REX-Ray plugin for Amazon EBS block volumes.',
    attach: 'single',
    zoneBound: true,
    minSize: '1Gi',
    options: commonOptions(volumeType(['gp2', 'io1', 'st1', 'sc1', 'standard'], 'EBS volume type.', EBS_TYPE_REJECTED), { minSize: '1Gi' }),
    pluginSettings: EBS_TRAPS,
    notes: [
      'The volume is created in the zone of the node where the first task lands; pin the service to that zone.',
      'Whether gp3 and io2 work with this last release is unverified.',
    ],
  }),
  rexray({
    name: 'rexray/efs',
    description: 'REX-Ray plugin for Amazon EFS (NFS) file systems.',
    attach: 'multi',
    zoneBound: false,
    options: [volumeType(['generalPurpose', 'maxIO'], 'EFS performance mode.', EFS_MODE_REJECTED)],
  }),
  rexray({
    name: 'rexray/s3fs',
    description: 'REX-Ray plugin mounting an Amazon S3 bucket with s3fs; one bucket per volume.',
    attach: 'multi',
    zoneBound: false,
    options: [],
  }),
  rexray({
    name: 'rexray/gcepd',
    description: 'REX-Ray plugin for Google Compute Engine persistent disks.',
    attach: 'single',
    zoneBound: true,
    minSize: '10GB',
    options: commonOptions(volumeType(['pd-ssd', 'pd-standard'], 'Persistent disk type.'), { minSize: '10GB' }),
    nameRule: {
      pattern: '^[a-z](?:[-a-z0-9]*[a-z0-9])?$',
      message:
        'GCE disk names must be lower-case letters, digits and "-", starting with a letter. The "<stack>_" prefix adds an ' +
        'underscore, which fails unless the plugin setting GCEPD_CONVERTUNDERSCORES=true; or set `name:`.',
    },
  }),
  rexray({
    name: 'rexray/dobs',
    description: 'REX-Ray plugin for DigitalOcean block storage.',
    attach: 'single',
    zoneBound: true,
    minSize: '1Gi',
    options: commonOptions(volumeType(undefined, 'Volume type.'), { minSize: '1Gi' }),
    nameRule: {
      pattern: '^[^_]+$',
      message:
        'DigitalOcean volume names cannot contain "_". The "<stack>_" prefix adds one, which fails unless the plugin ' +
        'setting DOBS_CONVERTUNDERSCORES=true; or set `name:`.',
    },
    notes: ['A volume lives in one region: keep the service on nodes of that region.'],
  }),
  rexray({
    name: 'rexray/cinder',
    description: 'REX-Ray plugin for OpenStack Cinder block volumes.',
    attach: 'single',
    zoneBound: true,
    options: commonOptions(volumeType(undefined, 'Cinder volume type.')),
  }),
  rexray({
    name: 'rexray/scaleio',
    description: 'REX-Ray plugin for Dell EMC ScaleIO block volumes.',
    attach: 'single',
    zoneBound: false,
    options: commonOptions(volumeType(undefined, 'ScaleIO storage pool.'), { zone: 'ScaleIO protection domain.' }),
    notes: ['volumeType selects the storage pool and availabilityZone the protection domain.'],
  }),
  rexray({
    name: 'rexray/rbd',
    description: 'REX-Ray plugin for Ceph RBD block images.',
    attach: 'single',
    zoneBound: false,
    options: commonOptions(volumeType(undefined, 'Volume type.')),
    nameRule: {
      meaningful: [{ pattern: '\\.', meaning: 'the text before the first "." selects the Ceph pool (<pool>.<name>)' }],
      message: 'A "." in an RBD volume name splits it into <pool>.<name>.',
    },
  }),
  rexray({
    name: 'rexray/isilon',
    description: 'REX-Ray plugin for Dell EMC Isilon NFS exports.',
    attach: 'single',
    zoneBound: false,
    options: commonOptions(volumeType(undefined, 'Volume type.')),
    notes: ['Each export is restricted to a single client at a time, although it is NFS.'],
  }),
  rexray({
    name: 'rexray/csi-nfs',
    description: 'REX-Ray plugin for NFS exports through the CSI NFS driver.',
    attach: 'multi',
    zoneBound: false,
    options: [
      { name: 'host', type: { kind: 'string' }, description: 'NFS server.' },
      { name: 'export', type: { kind: 'string' }, description: 'Exported path on the server.' },
    ],
  }),
  rexray({
    name: 'rexray',
    description: 'The standalone REX-Ray daemon (not a managed plugin); the backend is set in its configuration.',
    attach: 'single',
    zoneBound: false,
    options: commonOptions(volumeType(undefined, 'Volume type; its meaning depends on the configured backend.')),
    pluginSettings: COMMON_TRAPS.map((t) => ({
      ...t,
      setting: `the REX-Ray configuration file (the managed plugins call it ${t.setting})`,
    })),
    notes: [
      'The attach mode and zone binding depend on the configured backend: most are single-attach block storage.',
    ],
  }),
];
