import type { DriverSpec } from '../types.js';

/** Network filesystems: every node mounts the same remote data. Anything else stays on the node. */
const NETWORK_TYPES = ['nfs', 'nfs4', 'cifs', 'smb', 'smb3', 'ceph', 'glusterfs'];

export const localDriver: DriverSpec = {
  name: 'local',
  family: 'local',
  description: "Docker's built-in driver: a directory on the node, or a mount (NFS, CIFS, tmpfs, a block device).",
  status: 'active',
  scope: 'local',
  attach: 'node-local',
  attachRules: [
    { option: 'type', values: NETWORK_TYPES, attach: 'multi' },
    { option: 'type', absent: true, attach: 'node-local' },
  ],
  zoneBound: false,
  caseInsensitiveKeys: false,
  unknownOptions: 'reject',
  options: [
    {
      name: 'type',
      type: { kind: 'string' },
      description: 'Filesystem type passed to mount (nfs, nfs4, cifs, tmpfs, btrfs, none for a bind...).',
      requires: ['device'],
      example: 'nfs',
    },
    {
      name: 'device',
      type: { kind: 'string' },
      description: 'What to mount: ":/export" (NFS), "//host/share" (CIFS), "tmpfs", "/dev/sdX" or a host path.',
      requires: ['type'],
      example: ':/export',
      rejected: [
        // Docker's local driver checks this when the volume is created (moby volume/local/local_unix.go, validateOpts:
        // "port not allowed in CIFS device URL, include 'port' in 'o='"); it compares type with "cifs" exactly.
        {
          by: "Docker's local driver",
          when: { option: 'type', values: ['cifs'] },
          pattern: '^//[^/]*:[0-9]+(/|$)',
          reason: 'a CIFS device may not carry a port ("port not allowed in CIFS device URL, include \'port\' in \'o=\'"), so creating the volume fails',
          instead: 'the device without the port (//host/share) and the port in o (port=445)',
        },
      ],
    },
    {
      name: 'o',
      type: { kind: 'mount-options' },
      description: 'Comma-separated mount options, e.g. addr=10.0.0.1,rw,nfsvers=4 or size=100m,uid=1000 or bind.',
      requires: ['type', 'device'],
      example: 'addr=10.0.0.1,rw,nfsvers=4',
      rejected: [
        // Docker resolves an addr= host name only when type is exactly "nfs" or "cifs" (moby volume/local, mount());
        // for any other type the name reaches mount(2), which takes only an address, and the mount fails with
        // "invalid argument" when the first container starts (moby/moby#31365, where nfs4 is the case reported).
        {
          by: 'the kernel, when the first container mounts the volume',
          when: { option: 'type', values: ['nfs4'] },
          pattern: '(^|,)addr=[^,:]*[A-Za-z][^,:]*(,|$)',
          reason: 'with type nfs4 Docker passes the addr= host name to mount(2) unresolved, and the mount fails with "invalid argument"',
          instead: 'type: nfs with nfsvers=4 in o (Docker then resolves the name), or an IP address in addr=',
        },
        // tmpfs reads size= and nr_blocks= with the kernel's memparse (a whole number, one suffix of k, m, g, t, p or
        // e, any case) or, for size, a percentage of memory; anything after that ("Gi", "GB", ".5g") is "Bad value".
        {
          by: 'the kernel (tmpfs), when the first container mounts the volume',
          when: { option: 'type', values: ['tmpfs'] },
          pattern: '(^|,)(size|nr_blocks)=(?![0-9]+[kKmMgGtTpPeE]?(,|$)|[0-9]+%(,|$))',
          reason: 'tmpfs reads a size as a whole number with an optional k, m or g (binary) or a percentage, and fails the mount on anything else ("Gi", "GB", a fraction)',
          instead: 'size= as tmpfs reads it: size=512m, size=2g or size=50% (a policy size such as 2Gi is written 2g)',
        },
      ],
    },
    {
      name: 'size',
      // Docker reads it with units.RAMInBytes: every suffix binary, any case, and a bare number is bytes.
      type: { kind: 'size', format: { style: 'suffix', unit: 'GiB', suffix: 'G', bareUnit: 'B', accepts: ['K', 'M', 'T', 'KB', 'MB', 'GB', 'TB', 'KiB', 'MiB', 'GiB', 'TiB'] } },
      description: 'Quota on the volume directory; creating the volume fails where the filesystem has no quota support.',
      example: '10G',
    },
  ],
  nameRule: {
    pattern: '^[a-zA-Z0-9][a-zA-Z0-9_.-]+$',
    message: 'local volume names must start with a letter or digit and use only letters, digits, "_", "." and "-".',
  },
  notes: [
    'Without type/device (or with tmpfs) each node keeps its own separate data: never for durable or shared data.',
    'Bind a host path with type "none", o "bind", device "/host/path"; the path must exist on every node.',
    'The mount happens when the first container starts, so a wrong NFS server or export only fails then.',
    'addr= host names are resolved by the daemon only when type is exactly "nfs" or "cifs".',
    'The CIFS port goes in o (port=...). A CIFS password in o is stored in plain text in the volume metadata.',
    'On Windows the local driver accepts no options.',
  ],
};
