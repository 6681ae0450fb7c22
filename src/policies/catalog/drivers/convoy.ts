import type { DriverSpec } from '../types.js';

export const convoyDriver: DriverSpec = {
  name: 'convoy',
  family: 'convoy',
  description: 'Rancher Convoy: one volume daemon over several backends, with snapshots, backups and restore.',
  status: 'legacy',
  lastRelease: 'v0.5.2 (2018)',
  scope: 'local',
  // The backend decides; without a known block or shared backend, assume the weakest guarantee.
  attach: 'node-local',
  attachRules: [
    { option: 'driver', values: ['ebs', 'digitalocean'], attach: 'single' },
    { option: 'driver', values: ['glusterfs'], attach: 'multi' },
  ],
  zoneBound: false,
  caseInsensitiveKeys: false,
  unknownOptions: 'ignore',
  options: [
    {
      name: 'driver',
      type: { kind: 'enum', values: ['devicemapper', 'vfs', 'ebs', 'glusterfs', 'digitalocean'] },
      description: 'Convoy backend to create the volume with (one of those the daemon was started with).',
      example: 'devicemapper',
    },
    {
      name: 'size',
      type: { kind: 'size', format: { style: 'suffix', unit: 'GiB', suffix: 'G', accepts: ['M', 'T'] } },
      description: 'Volume size.',
      example: '10G',
    },
    { name: 'type', type: { kind: 'string' }, description: 'EBS volume type (ebs backend).' },
    { name: 'iops', type: { kind: 'int', min: 1 }, description: 'Provisioned IOPS (ebs backend).' },
    {
      name: 'backup',
      type: { kind: 'string', pattern: '^[a-zA-Z][a-zA-Z0-9+.-]*://\\S+$', patternHint: 'a backup URL such as s3://...' },
      description: 'Backup URL to restore the new volume from.',
      example: 's3://...',
    },
    { name: 'id', type: { kind: 'string' }, description: 'Existing backend volume id to use.' },
    { name: 'endpoint', type: { kind: 'string' }, description: 'Backend endpoint.' },
    { name: 'vm', type: { kind: 'bool' }, description: 'Volume for a VM.', example: 'true' },
  ],
  nameRule: {
    pattern: '^[a-zA-Z0-9][a-zA-Z0-9_.-]+$',
    message: 'Convoy volume names must start with a letter or digit and use only letters, digits, "_", "." and "-".',
  },
  notes: [
    'The attach mode follows the backend: ebs and digitalocean are single-attach, glusterfs is shared, ' +
      'devicemapper and vfs keep data on the node (unless the vfs path is itself shared storage).',
  ],
};
