import type { DriverSpec, OptionSpec } from '../types.js';

const MODE_PATTERN = '^0?[0-7]{3}$';

function mode(name: string, what: string, example?: string): OptionSpec {
  return {
    name,
    type: { kind: 'string', pattern: MODE_PATTERN, patternHint: 'an octal mode such as 0777' },
    description: `Mode of ${what} in the share, in octal.`,
    ...(example ? { example } : {}),
  };
}

function id(name: string, what: string): OptionSpec {
  return { name, type: { kind: 'int', min: 0 }, description: `Numeric ${what} owning the files in the share.` };
}

export const azureDrivers: DriverSpec[] = [
  {
    name: 'azurefile',
    family: 'azure',
    description: 'Azure File Service volume driver (Azure/azurefile-dockervolumedriver): an SMB share per volume.',
    status: 'deprecated',
    scope: 'local',
    attach: 'multi',
    zoneBound: false,
    caseInsensitiveKeys: false,
    unknownOptions: 'reject',
    options: [
      { name: 'share', type: { kind: 'string' }, description: 'File share to mount.', required: true },
      id('uid', 'user id'),
      id('gid', 'group id'),
      mode('filemode', 'files'),
      mode('dirmode', 'directories'),
      { name: 'nolock', type: { kind: 'bool', values: ['true', 'false'] }, description: 'Mount without byte-range locks.', example: 'true' },
      { name: 'remotepath', type: { kind: 'string' }, description: 'Directory inside the share to mount.' },
    ],
  },
  {
    name: 'cloudstor:azure',
    family: 'azure',
    description: 'Cloudstor for Docker for Azure: an Azure File (SMB) share per volume.',
    status: 'discontinued',
    scope: 'global',
    attach: 'multi',
    zoneBound: false,
    caseInsensitiveKeys: false,
    unknownOptions: 'ignore',
    options: [
      id('uid', 'user id'),
      id('gid', 'group id'),
      mode('filemode', 'files', '0777'),
      mode('dirmode', 'directories', '0777'),
      { name: 'share', type: { kind: 'string' }, description: 'File share to use.' },
    ],
    notes: ['Quote octal modes ("0777"): YAML 1.1 and 1.2 read an unquoted 0777 differently.'],
  },
];
