/** Portworx (pxd): replicated block volumes, shared volumes for many nodes. */
import { ADOPTION_CLASSES } from './adoption.js';

export default `version: 1
description: Portworx (pxd) - replicated volumes; shared uses Portworx shared volumes.
parameters:
  size: 10Gi
classes:
  fast:
    description: One replica, high I/O priority; one node at a time
    access: single
    driver: pxd
    driver_opts:
      size: "{size}"
      repl: "1"
      io_priority: high
  shared:
    description: Portworx shared volume; many nodes at once
    access: multi
    driver: pxd
    driver_opts:
      size: "{size}"
      repl: "2"
      shared: "true"
  durable:
    description: Three replicas; survives the loss of two nodes
    access: single
    driver: pxd
    driver_opts:
      size: "{size}"
      repl: "3"
      io_priority: medium
${ADOPTION_CLASSES}`;
