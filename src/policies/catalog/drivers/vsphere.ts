import type { DriverSpec, RejectedValues } from '../types.js';

const LAST_RELEASE = 'development ended 2018';

/**
 * The plugin's ESX service checks these options before it creates the disk and refuses any value outside its own
 * lists (vmware/docker-volume-vsphere, esx_service/vmdk_ops.py, validate_opts: "Disk Allocation Format '...' is not
 * supported", "Attach type '...' is not supported", "Access type '...' is not supported").
 */
function refusedOutside(allowed: string[], what: string): RejectedValues[] {
  return [
    {
      by: "the vSphere plugin's ESX service",
      allowed,
      reason: `it is not a supported ${what}, so creating the volume fails`,
      instead: allowed.join(' or '),
    },
  ];
}

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
        rejected: refusedOutside(['thin', 'zeroedthick', 'eagerzeroedthick'], 'disk allocation format'),
        description: 'VMDK provisioning.',
        example: 'thin',
      },
      {
        name: 'attach-as',
        type: { kind: 'enum', values: ['independent_persistent', 'persistent'] },
        rejected: refusedOutside(['independent_persistent', 'persistent'], 'attach type'),
        description: 'Disk mode when attached (independent_persistent is left out of VM snapshots).',
        example: 'independent_persistent',
      },
      { name: 'vsan-policy-name', type: { kind: 'string' }, description: 'vSAN storage policy.' },
      { name: 'fstype', type: { kind: 'string' }, description: 'Filesystem (default ext4).', example: 'ext4' },
      {
        name: 'access',
        type: { kind: 'enum', values: ['read-write', 'read-only'] },
        rejected: refusedOutside(['read-write', 'read-only'], 'access type'),
        description: 'Access mode.',
        example: 'read-write',
      },
      // validate_opts also refuses a size or fstype for a clone ("Cannot define the size for a clone").
      { name: 'clone-from', type: { kind: 'string' }, description: 'Volume to clone.', conflicts: ['size', 'fstype'] },
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
