import type { DriverSpec, PluginSettingTrap } from '../types.js';

/** docker-volume-netshare runs one daemon per protocol, each registering its own driver name. */
function netshare(spec: Pick<DriverSpec, 'name' | 'description' | 'options'> & Partial<DriverSpec>): DriverSpec {
  return {
    family: 'netshare',
    status: 'legacy',
    lastRelease: 'v0.36 (2018)',
    scope: 'local',
    attach: 'multi',
    zoneBound: false,
    caseInsensitiveKeys: false,
    unknownOptions: 'ignore',
    ...spec,
  };
}

const NFS_VERSION_TRAPS: PluginSettingTrap[] = ['version', 'nfsvers', 'vers'].map((option) => ({
  option,
  setting: 'NFS version flag of the docker-volume-netshare nfs daemon',
  message: 'netshare picks the NFS version when its daemon starts, not per volume: this option does nothing.',
}));

export const netshareDrivers: DriverSpec[] = [
  netshare({
    name: 'nfs',
    description: 'docker-volume-netshare NFS driver.',
    options: [
      { name: 'share', type: { kind: 'string' }, description: 'Export to mount, as host:/path.', example: 'host:/path' },
      { name: 'create', type: { kind: 'bool' }, description: 'Create the directory on the share if missing.', example: 'true' },
      { name: 'nfsopts', type: { kind: 'mount-options' }, description: 'Extra NFS mount options.' },
    ],
    pluginSettings: NFS_VERSION_TRAPS,
    notes: [
      'The name "nfs" is also the usual alias of trajano/nfs-volume-plugin, whose options are device and nfsopts: ' +
        'a `device` option under driver nfs means that plugin is the one installed.',
    ],
  }),
  netshare({
    name: 'cifs',
    description: 'docker-volume-netshare CIFS/SMB driver.',
    options: [
      { name: 'username', type: { kind: 'string' }, description: 'User name for the share.' },
      { name: 'password', type: { kind: 'string' }, description: 'Password for the share.', secret: true },
      { name: 'domain', type: { kind: 'string' }, description: 'Windows domain.' },
      { name: 'security', type: { kind: 'string' }, description: 'Security mode (sec= mount option).' },
      { name: 'fileMode', type: { kind: 'string' }, description: 'Mode of files in the mount.' },
      { name: 'dirMode', type: { kind: 'string' }, description: 'Mode of directories in the mount.' },
      { name: 'cifsopts', type: { kind: 'mount-options' }, description: 'Extra CIFS mount options.' },
    ],
    notes: ['The password is stored in plain text in the volume metadata.'],
  }),
  netshare({
    name: 'efs',
    description: 'docker-volume-netshare Amazon EFS driver.',
    options: [],
  }),
  netshare({
    name: 'ceph',
    description: 'docker-volume-netshare CephFS driver.',
    options: [{ name: 'cephopts', type: { kind: 'mount-options' }, description: 'Extra CephFS mount options.' }],
  }),
];

/**
 * trajano's NFS managed plugin. It is usually installed with the alias "nfs", which clashes with netshare's driver,
 * so the catalog knows it only by its plugin reference; see the note on "nfs".
 */
export const trajanoNfsDriver: DriverSpec = {
  name: 'trajano/nfs-volume-plugin',
  family: 'netshare',
  description: "trajano's NFS managed plugin.",
  status: 'legacy',
  scope: 'local',
  attach: 'multi',
  zoneBound: false,
  caseInsensitiveKeys: false,
  unknownOptions: 'ignore',
  options: [
    { name: 'device', type: { kind: 'string' }, description: 'Export to mount, as server:/path.', example: 'server:/path' },
    { name: 'nfsopts', type: { kind: 'mount-options' }, description: 'NFS mount options.' },
  ],
};
