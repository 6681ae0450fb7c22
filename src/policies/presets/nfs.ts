/** An NFS server through the built-in local driver: no plugin to install. */
import { ADOPTION_CLASSES } from './adoption.js';

export default `version: 1
description: NFS through the built-in local driver. Set --set nfs_server=<address> --set nfs_export=<path>.
parameters:
  nfs_options: rw,nfsvers=4.1,hard,timeo=600
classes:
  fast:
    description: Node-local scratch on the local driver; data stays on the node that runs the task
    driver: local
  shared:
    description: A directory on the NFS server, mounted by every node ({nfs_export}/{volume} must exist)
    access: multi
    driver: local
    driver_opts:
      type: nfs
      o: addr={nfs_server},{nfs_options}
      device: ":{nfs_export}/{volume}"
  durable:
    description: A directory on the NFS server; survives node loss ({nfs_export}/{volume} must exist)
    access: multi
    driver: local
    driver_opts:
      type: nfs
      o: addr={nfs_server},{nfs_options}
      device: ":{nfs_export}/{volume}"
${ADOPTION_CLASSES}`;
