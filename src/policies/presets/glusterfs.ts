/** GlusterFS through the glusterfs volume plugin (trajano/mochoa): the volume name is the gluster volfile id. */
import { ADOPTION_CLASSES } from './adoption.js';

export default `version: 1
description: GlusterFS plugin. Set --set gluster_servers=<host1,host2> --set gluster_volume=<gluster volume>.
classes:
  fast:
    description: Node-local scratch on the local driver; data stays on the node that runs the task
    driver: local
  shared:
    description: A sub-directory of a gluster volume, mounted by every node
    access: multi
    driver: glusterfs
    driver_opts:
      servers: "{gluster_servers}"
    name: "{gluster_volume}/{volume}"
  durable:
    description: A sub-directory of a replicated gluster volume
    access: multi
    driver: glusterfs
    driver_opts:
      servers: "{gluster_servers}"
    name: "{gluster_volume}/{volume}"
${ADOPTION_CLASSES}`;
