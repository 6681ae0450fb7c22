import type { DriverSpec } from '../types.js';

const RELOCATABLE = [
  { option: 'backing', values: ['relocatable'] },
  { option: 'backing', absent: true },
];

export const cloudstorAwsDriver: DriverSpec = {
  name: 'cloudstor:aws',
  family: 'cloudstor-aws',
  description: 'Cloudstor for Docker for AWS: EBS (relocatable) or EFS (shared) volumes.',
  status: 'discontinued',
  scope: 'global',
  attach: 'single',
  attachRules: [
    { option: 'backing', values: ['shared'], attach: 'multi' },
    { option: 'backing', values: ['relocatable'], attach: 'single' },
  ],
  // Relocatable volumes follow a task to another zone (by snapshot); shared ones are regional.
  zoneBound: false,
  caseInsensitiveKeys: false,
  unknownOptions: 'ignore',
  options: [
    {
      name: 'backing',
      type: { kind: 'enum', values: ['relocatable', 'shared'] },
      description: 'relocatable: an EBS volume, one node at a time (default); shared: EFS, many nodes.',
      example: 'shared',
    },
    {
      name: 'size',
      type: { kind: 'size', format: { style: 'int', unit: 'GB', bareUnit: 'GB' } },
      description: 'EBS volume size as a whole number of GB.',
      requiredWhen: RELOCATABLE,
    },
    {
      name: 'ebstype',
      type: { kind: 'enum', values: ['gp2', 'io1', 'st1', 'sc1'] },
      description: 'EBS volume type (relocatable).',
      example: 'gp2',
    },
    {
      name: 'iops',
      type: { kind: 'int', min: 1 },
      description: 'Provisioned IOPS (relocatable).',
      requiredWhen: [{ option: 'ebstype', values: ['io1'] }],
    },
    { name: 'perfmode', type: { kind: 'enum', values: ['maxio'] }, description: 'EFS performance mode (shared).', example: 'maxio' },
  ],
  notes: [
    'A relocatable volume that must follow a task to another availability zone is moved through a snapshot, which is slow.',
  ],
};
