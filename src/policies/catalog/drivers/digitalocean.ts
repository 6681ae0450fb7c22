import type { DriverSpec } from '../types.js';

/** rexray/dobs is described with the REX-Ray family. */
export const digitaloceanDriver: DriverSpec = {
  name: 'dostorage',
  family: 'digitalocean',
  description: 'DigitalOcean block storage driver (2016): attaches an existing volume to the droplet.',
  status: 'legacy',
  lastRelease: '2016',
  scope: 'local',
  attach: 'single',
  zoneBound: true,
  caseInsensitiveKeys: false,
  unknownOptions: 'ignore',
  options: [],
  notes: ['Takes no options and creates nothing: the volume must already exist in DigitalOcean.'],
};
