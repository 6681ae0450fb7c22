import type { DriverSpec } from '../types.js';

const LAST_RELEASE = 'development ended 2018';

export const vsphereDrivers: DriverSpec[] = [
  {
    name: 'vsphere',
    family: 'vsphere',
    description: 'VMware vSphere Storage for Docker: a VMDK on a datastore, attached to the VM running the task.',
    status: 'legacy',
    lastRelease: LAST_RELEASE,
    scope: 'global',
    attach: 'single',
    zoneBound: false,
    caseInsensitiveKeys: false,
    unknownOptions: 'ignore',
    options: [
      {
        name: 'size',
        type: { kind: 'size', format: { style: 'suffix', unit: 'GiB', suffix: 'gb', accepts: ['mb', 'tb'] } },
        description: 'Disk size (default 100mb).',
        example: '10gb',
      },
      {
        name: 'diskformat',
        type: { kind: 'enum', values: ['thin', 'zeroedthick', 'eagerzeroedthick'] },
        description: 'VMDK provisioning.',
        example: 'thin',
      },
      {
        name: 'attach-as',
        type: { kind: 'enum', values: ['independent_persistent', 'persistent'] },
        description: 'Disk mode when attached (independent_persistent is left out of VM snapshots).',
        example: 'independent_persistent',
      },
      { name: 'vsan-policy-name', type: { kind: 'string' }, description: 'vSAN storage policy.' },
      { name: 'fstype', type: { kind: 'string' }, description: 'Filesystem (default ext4).', example: 'ext4' },
      {
        name: 'access',
        type: { kind: 'enum', values: ['read-write', 'read-only'] },
        description: 'Access mode.',
        example: 'read-write',
      },
      { name: 'clone-from', type: { kind: 'string' }, description: 'Volume to clone.' },
    ],
    nameRule: {
      meaningful: [{ pattern: '@[^@]+$', meaning: 'the text after "@" selects the datastore (name@datastore)' }],
      message: 'An "@" in a vSphere volume name picks the datastore.',
    },
    notes: ['The datastore must be reachable from every host the service can run on.'],
  },
  {
    name: 'vfile',
    family: 'vsphere',
    description: 'vFile, the multi-attach companion of vSphere Storage for Docker: a shared filesystem over vSphere volumes.',
    status: 'legacy',
    lastRelease: LAST_RELEASE,
    scope: 'global',
    attach: 'multi',
    zoneBound: false,
    caseInsensitiveKeys: false,
    unknownOptions: 'ignore',
    options: [],
  },
];
