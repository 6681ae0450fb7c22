/** Credentials in driver_opts: Docker keeps them in plain text in the volume's metadata. */
import { SECRET_KEY, URL_PASSWORD } from '../secrets.js';
import { findOption } from '../policies/catalog/index.js';
import type { DriverSpec } from '../policies/catalog/types.js';
import type { Finding } from '../findings.js';
import { checkedPlans, optionWhere } from './common.js';
import type { Check } from './types.js';

/**
 * Mount options carrying a credential: CIFS password=/pass=, user=name%password, Ceph secret=. Not credentials=
 * or secretfile=: they name a file holding the credential, which is the safe way.
 */
const MOUNT_OPTION_WITH_SECRET = /(?:^|,)\s*(password|pass|passwd|secret)=|(?:^|,)\s*(user(?:name)?)=[^,%]*%/i;

function secretReason(spec: DriverSpec | undefined, key: string, value: string): string | undefined {
  const option = spec ? findOption(spec, key) : undefined;
  if (option?.secret) return `option "${key}" is a credential`;
  if (!option && SECRET_KEY.test(key)) return `option "${key}" looks like a credential`;
  const inside = MOUNT_OPTION_WITH_SECRET.exec(value);
  if (inside) {
    const what = inside[1] ? `${inside[1].toLowerCase()}=` : `${inside[2].toLowerCase()}=<user>%<password>`;
    return `the mount options in "${key}" carry a credential (${what})`;
  }
  // A URL with a password in it (`https://user:password@host/...`).
  if ([...value.matchAll(URL_PASSWORD)].some((match) => match[2])) return `the URL in "${key}" carries a password (user:password@)`;
  return undefined;
}

export const secretInOptions: Check = {
  code: 'secret-in-options',
  severity: 'warning',
  summary: 'a password or key in driver_opts, stored in plain text in the volume metadata',
  docs: 'docs/checks.md#secret-in-options',
  run(ctx) {
    const findings: Finding[] = [];
    for (const plan of checkedPlans(ctx)) {
      for (const [key, value] of Object.entries(plan.driver_opts)) {
        const reason = secretReason(plan.driverSpec, key, value);
        if (!reason) continue;
        findings.push({
          code: 'secret-in-options',
          severity: 'warning',
          message:
            `volume "${plan.volume}": ${reason}; Docker stores driver options in plain text in the volume's metadata, where ` +
            `anyone who can run docker volume inspect on a node reads it (and it is in this stack file too)`,
          hint:
            'use a credentials file on the nodes (CIFS credentials=/path, Ceph secretfile=/path) or the plugin\'s own secret ' +
            'store or settings, and keep the secret out of the stack file',
          volume: plan.volume,
          ...optionWhere(plan, key),
        });
      }
    }
    return findings;
  },
};
