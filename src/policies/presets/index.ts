/** Built-in policies, chosen with --policy builtin:NAME. Kept as YAML text so findings point at real lines. */
import aws from './aws.js';
import defaultPolicy from './default.js';
import glusterfs from './glusterfs.js';
import nfs from './nfs.js';
import portworx from './portworx.js';

export const builtinPolicies: Record<string, string> = {
  default: defaultPolicy,
  aws,
  nfs,
  glusterfs,
  portworx,
};
