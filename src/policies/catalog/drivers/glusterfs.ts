import type { DriverSpec } from '../types.js';

export const glusterfsDrivers: DriverSpec[] = [
  {
    name: 'glusterfs',
    aliases: ['trajano/glusterfs-volume-plugin', 'mochoa/glusterfs-volume-plugin'],
    family: 'glusterfs',
    description: 'GlusterFS managed plugin (trajano, maintained fork by mochoa): mounts a gluster volume with the FUSE client.',
    status: 'legacy',
    lastRelease: 'v2.0.7 (2021, fork)',
    scope: 'local',
    attach: 'multi',
    zoneBound: false,
    caseInsensitiveKeys: false,
    unknownOptions: 'ignore',
    options: [
      {
        name: 'servers',
        type: { kind: 'string', pattern: '^[^,\\s]+(,[^,\\s]+)*$', patternHint: 'a comma-separated list of hosts' },
        description: 'Comma-separated gluster servers.',
        conflicts: ['glusteropts'],
      },
      {
        name: 'glusteropts',
        type: { kind: 'string' },
        description: 'Raw arguments for the gluster client, instead of servers.',
        conflicts: ['servers'],
      },
    ],
    nameRule: {
      meaningful: [
        {
          pattern: '^[^/]+',
          meaning: 'the gluster volume (volfile id) to mount: a "<stack>_" prefix becomes part of it unless `name:` is set',
        },
        { pattern: '/.+$', meaning: 'a sub-directory of the gluster volume (vol/subdir)' },
      ],
      message: 'The volume name is the gluster volfile id (vol or vol/subdir): set `name:` so the stack prefix does not change it.',
    },
    notes: [
      'The options servers and glusteropts cannot be used when the plugin setting SERVERS is set, and the other way round: ' +
        'configure the servers in one place only.',
    ],
  },
  {
    name: 'sapk/plugin-gluster',
    family: 'glusterfs',
    description: 'GlusterFS managed plugin by sapk (alpha).',
    status: 'legacy',
    lastRelease: '2018 (alpha)',
    scope: 'global',
    attach: 'multi',
    zoneBound: false,
    caseInsensitiveKeys: false,
    unknownOptions: 'ignore',
    options: [
      {
        name: 'voluri',
        type: { kind: 'string', pattern: '^[^:\\s]+:[^:\\s]+$', patternHint: 'host1,host2:volname' },
        description: 'Gluster servers and volume, as host1,host2:volname.',
        required: true,
        example: 'host1,host2:volname',
      },
    ],
  },
];
