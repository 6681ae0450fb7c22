/** AWS with the REX-Ray plugins: EBS block volumes (one node at a time, one zone) and EFS for shared data. */
import { ADOPTION_CLASSES } from './adoption.js';

export default `version: 1
description: AWS - rexray/ebs for fast and durable, rexray/efs for shared. Set --set zone=<availability zone>.
parameters:
  size: 10Gi
classes:
  fast:
    description: EBS provisioned-IOPS SSD; one node at a time, bound to one availability zone
    access: single
    driver: rexray/ebs
    driver_opts:
      volumetype: io1
      iops: "{iops}"
      size: "{size}"
    parameters:
      size: 20Gi
      iops: 1000
    placement:
      - node.labels.zone == {zone}
  shared:
    description: EFS (NFS); many nodes at once, any zone in the region
    access: multi
    driver: rexray/efs
    driver_opts:
      volumetype: generalPurpose
  durable:
    description: EBS general-purpose SSD; one node at a time, bound to one availability zone
    access: single
    driver: rexray/ebs
    driver_opts:
      volumetype: gp2
      size: "{size}"
    placement:
      - node.labels.zone == {zone}
${ADOPTION_CLASSES}`;
