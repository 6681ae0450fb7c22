import type { DriverSpec } from '../types.js';

export const flockerDriver: DriverSpec = {
  name: 'flocker',
  family: 'flocker',
  description: 'ClusterHQ Flocker: datasets on a cloud or SAN backend that move with the container.',
  status: 'legacy',
  lastRelease: 'ClusterHQ shut down 2016',
  // No /VolumeDriver.Capabilities endpoint, so Docker falls back to local.
  scope: 'local',
  attach: 'single',
  zoneBound: false,
  caseInsensitiveKeys: false,
  unknownOptions: 'ignore',
  options: [
    {
      name: 'size',
      type: { kind: 'size', format: { style: 'suffix', unit: 'GiB', suffix: 'GiB', accepts: ['g', 'm', 't', 'MiB', 'TiB'] } },
      description: 'Dataset size (default 75 GiB). An invalid size silently falls back to the default.',
      example: '100GiB',
    },
    {
      name: 'profile',
      type: { kind: 'enum', values: ['gold', 'silver', 'bronze'] },
      description: 'Storage profile of the backend.',
      example: 'gold',
    },
  ],
  notes: [
    'A malformed size is not an error: the dataset is created with the default 75 GiB.',
    'Whether a dataset is tied to a zone depends on the configured backend.',
  ],
};
