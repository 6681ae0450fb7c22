import type { DriverSpec, OptionSpec } from '../types.js';

function text(name: string, description: string): OptionSpec {
  return { name, type: { kind: 'string' }, description };
}

function bool(name: string, description: string): OptionSpec {
  return { name, type: { kind: 'bool' }, description, example: 'true' };
}

export const netappDriver: DriverSpec = {
  name: 'netapp',
  aliases: ['netapp/trident-plugin'],
  family: 'netapp',
  description: 'NetApp Trident: ONTAP, SolidFire and other NetApp storage; NAS backends share, SAN backends attach once.',
  status: 'active',
  scope: 'global',
  // The backend is chosen in the plugin configuration; only SAN-only options reveal a SAN backend.
  attach: 'multi',
  attachRules: [
    { option: 'fileSystemType', attach: 'single' },
    { option: 'spaceAllocation', attach: 'single' },
  ],
  zoneBound: false,
  caseInsensitiveKeys: true,
  unknownOptions: 'ignore',
  minSize: '20Mi',
  options: [
    {
      name: 'size',
      // Written as bare GiB: that reading is certain, while the meaning of Trident's suffixes is not written down here.
      type: {
        kind: 'size',
        format: { style: 'int', unit: 'GiB', bareUnit: 'GiB', accepts: ['M', 'G', 'T', 'MiB', 'GiB', 'TiB', 'MB', 'GB', 'TB'] },
        min: '20Mi',
      },
      description: 'Volume size; a bare number is GiB.',
      example: '10G',
    },
    {
      name: 'spaceReserve',
      type: { kind: 'enum', values: ['none', 'volume'] },
      description: 'Thin (none) or thick (volume) provisioning.',
      example: 'none',
    },
    text('snapshotPolicy', 'ONTAP snapshot policy.'),
    { name: 'snapshotReserve', type: { kind: 'int', min: 0, max: 100 }, description: 'Percent of the volume kept for snapshots.' },
    bool('splitOnClone', 'Split a clone from its parent.'),
    bool('encryption', 'Encrypt the volume.'),
    text('tieringPolicy', 'FabricPool tiering policy.'),
    text('unixPermissions', 'Permissions of the new volume (NAS).'),
    bool('snapshotDir', 'Show the .snapshot directory (NAS).'),
    text('exportPolicy', 'Export policy (NAS).'),
    {
      name: 'securityStyle',
      type: { kind: 'enum', values: ['unix', 'mixed'] },
      description: 'Security style (NAS).',
      example: 'unix',
    },
    {
      name: 'fileSystemType',
      aliases: ['fstype'],
      type: { kind: 'enum', values: ['ext3', 'ext4', 'xfs'] },
      description: 'Filesystem on the LUN (SAN).',
      example: 'ext4',
    },
    bool('spaceAllocation', 'Space allocation on the LUN (SAN).'),
    text('from', 'Volume to clone.'),
    text('fromSnapshot', 'Snapshot to clone from.'),
  ],
  notes: [
    'NAS backends (ontap-nas...) are multi-attach, SAN backends (ontap-san, solidfire-san...) single-attach. The backend ' +
      'is set in the plugin configuration: install one plugin alias per backend to tell them apart.',
    'Option keys are case-insensitive.',
  ],
};
