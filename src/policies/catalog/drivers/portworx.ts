import type { DriverSpec, OptionSpec } from '../types.js';

function bool(name: string, description: string): OptionSpec {
  return { name, type: { kind: 'bool' }, description, example: 'true' };
}

function text(name: string, description: string): OptionSpec {
  return { name, type: { kind: 'string' }, description };
}

export const portworxDriver: DriverSpec = {
  name: 'pxd',
  family: 'portworx',
  description: 'Portworx software-defined block storage, replicated across nodes.',
  status: 'active',
  scope: 'global',
  attach: 'single',
  attachRules: [
    { option: 'shared', values: ['true'], attach: 'multi' },
    { option: 'sharedv4', values: ['true'], attach: 'multi' },
  ],
  zoneBound: false,
  caseInsensitiveKeys: false,
  unknownOptions: 'ignore',
  options: [
    {
      name: 'size',
      type: { kind: 'size', format: { style: 'suffix', unit: 'GiB', suffix: 'G', bareUnit: 'GiB', accepts: ['M', 'T'] } },
      description: 'Volume size; a bare number is GiB.',
      example: '10G',
    },
    { name: 'repl', type: { kind: 'int', min: 1, max: 3 }, description: 'Number of replicas.', example: '3' },
    {
      name: 'io_priority',
      type: { kind: 'enum', values: ['high', 'medium', 'low'] },
      description: 'Class of storage to place the volume on.',
      example: 'high',
    },
    { name: 'fs', type: { kind: 'enum', values: ['ext4', 'xfs'] }, description: 'Filesystem.', example: 'ext4' },
    text('block_size', 'Filesystem block size.'),
    bool('shared', 'Let several nodes mount the volume at once.'),
    bool('sharedv4', 'Let several nodes mount the volume at once, over NFS v4.'),
    bool('secure', 'Encrypt the volume.'),
    { name: 'secret_key', type: { kind: 'string' }, description: 'Key of the encryption secret.', secret: true },
    { name: 'snap_interval', type: { kind: 'int', min: 0 }, description: 'Minutes between automatic snapshots.' },
    text('group', 'Volume group: replicas of one group are kept apart.'),
    text('io_profile', 'I/O profile tuning the volume for a workload.'),
    text('labels', 'Labels as key=value pairs, comma-separated.'),
    text('nodes', 'Node ids to place replicas on, comma-separated.'),
    text('aggregation_level', 'Number of nodes to stripe the volume across.'),
    bool('compressed', 'Compress data.'),
    bool('sticky', 'Protect the volume from deletion until sticky is turned off.'),
    bool('journal', 'Journal writes.'),
  ],
  nameRule: {
    meaningful: [
      {
        pattern: '(^|,)[a-z_0-9]+=',
        meaning: 'an inline Portworx spec (name=foo,size=10G): driver_opts are discarded entirely',
      },
    ],
    message: 'A volume name holding key=value pairs is read as an inline spec and the options are ignored.',
  },
  notes: ['A boolean that is not "true" or "false" makes volume creation fail.'],
};
