import { describe, it, expect } from 'vitest';
import {
  attachModeOf,
  builtinDrivers,
  findDriver,
  findOption,
  missingOptions,
  normalizeDriverName,
  sizeOption,
  validateOptionValue,
} from '../src/policies/catalog/index.js';
import { checkSizeValue, formatSize, parseDriverSize, parseSize, unitBytes } from '../src/policies/catalog/size.js';
import type { DriverSpec, OptionSpec, SizeFormat } from '../src/policies/catalog/types.js';

const GiB = 2 ** 30;
const MiB = 2 ** 20;

function driver(name: string): DriverSpec {
  const d = findDriver(name);
  if (!d) throw new Error(`no driver ${name}`);
  return d;
}

function option(driverName: string, key: string): OptionSpec {
  const o = findOption(driver(driverName), key);
  if (!o) throw new Error(`no option ${key} on ${driverName}`);
  return o;
}

function sizeFormat(driverName: string): SizeFormat {
  const o = sizeOption(driver(driverName));
  if (o?.type.kind !== 'size') throw new Error(`${driverName} has no size option`);
  return o.type.format;
}

const allOptions = builtinDrivers.flatMap((d) => d.options.map((o) => ({ driver: d.name, option: o })));

describe('documented examples', () => {
  const withExample = allOptions.filter((x) => x.option.example !== undefined);

  it('covers the documented examples', () => {
    expect(withExample.length).toBeGreaterThan(30);
  });

  it.each(withExample.map((x) => [x.driver, x.option.name, x.option] as const))(
    '%s %s accepts its example',
    (_d, _n, o) => {
      expect(validateOptionValue(o, o.example!)).toBeUndefined();
    },
  );
});

describe('wrongly typed values', () => {
  const wrong: Record<string, string[]> = {
    int: ['abc', '1.5', '10G', ''],
    bool: ['yes', 'on', 'TRUE', ''],
    enum: ['definitely-not-a-value', ''],
    size: ['ten', '10zz', '-1', ''],
  };
  const typed = allOptions.filter((x) => x.option.type.kind in wrong);

  it.each(typed.map((x) => [x.driver, x.option.name, x.option] as const))('%s %s rejects bad values', (_d, _n, o) => {
    for (const value of wrong[o.type.kind]) {
      expect(validateOptionValue(o, value), `${o.name}=${JSON.stringify(value)}`).toBeTypeOf('string');
    }
  });

  it('enforces int ranges', () => {
    const repl = option('pxd', 'repl');
    expect(validateOptionValue(repl, '0')).toMatch(/minimum/);
    expect(validateOptionValue(repl, '4')).toMatch(/maximum/);
    expect(validateOptionValue(repl, '2')).toBeUndefined();
    expect(validateOptionValue(option('netapp', 'snapshotReserve'), '101')).toMatch(/maximum/);
  });

  it('accepts only lower-case true/false for REX-Ray and Portworx booleans', () => {
    for (const o of [option('rexray/ebs', 'encrypted'), option('pxd', 'shared')]) {
      expect(validateOptionValue(o, 'true')).toBeUndefined();
      expect(validateOptionValue(o, 'false')).toBeUndefined();
      expect(validateOptionValue(o, 'True')).toBeTypeOf('string');
      expect(validateOptionValue(o, '1')).toBeTypeOf('string');
    }
  });

  it('checks string patterns and mount options', () => {
    expect(validateOptionValue(option('sapk/plugin-gluster', 'voluri'), 'just-a-volume')).toBeTypeOf('string');
    expect(validateOptionValue(option('cloudstor:azure', 'filemode'), '999')).toBeTypeOf('string');
    expect(validateOptionValue(option('cloudstor:azure', 'filemode'), '0755')).toBeUndefined();
    expect(validateOptionValue(option('local', 'o'), 'addr=10.0.0.1,,rw')).toMatch(/empty/);
    expect(validateOptionValue(option('local', 'o'), 'addr=10.0.0.1, rw')).toMatch(/spaces/);
    expect(validateOptionValue(option('local', 'o'), 'size=100m,uid=1000')).toBeUndefined();
  });

  it('enforces minimum sizes in the driver reading', () => {
    expect(validateOptionValue(option('rexray/gcepd', 'size'), '9')).toMatch(/minimum/);
    expect(validateOptionValue(option('rexray/gcepd', 'size'), '10')).toBeUndefined();
    expect(validateOptionValue(option('rexray/ebs', 'size'), '0')).toMatch(/minimum/);
    expect(validateOptionValue(option('netapp', 'size'), '10M')).toMatch(/minimum/);
    expect(validateOptionValue(option('netapp', 'size'), '20M')).toBeUndefined();
  });
});

describe('findDriver', () => {
  it.each([
    ['rexray/ebs:latest', 'rexray/ebs'],
    ['rexray/ebs:0.11.4', 'rexray/ebs'],
    ['docker.io/rexray/ebs', 'rexray/ebs'],
    ['  rexray/efs  ', 'rexray/efs'],
    ['rexray', 'rexray'],
    ['trajano/glusterfs-volume-plugin:latest', 'glusterfs'],
    ['mochoa/glusterfs-volume-plugin', 'glusterfs'],
    ['netapp/trident-plugin:latest', 'netapp'],
    ['cloudstor:aws', 'cloudstor:aws'],
    ['cloudstor:azure', 'cloudstor:azure'],
    ['nfs', 'nfs'],
    ['trajano/nfs-volume-plugin:latest', 'trajano/nfs-volume-plugin'],
    ['pxd', 'pxd'],
  ])('%s -> %s', (name, expected) => {
    expect(findDriver(name)?.name).toBe(expected);
  });

  it.each(['nope', 'cloudstor', 'cloudstor:gcp', 'PXD', 'Rexray/EBS', 'myregistry:5000/rexray/ebs', 'ebs', ''])(
    '%s is unknown',
    (name) => {
      expect(findDriver(name)).toBeUndefined();
    },
  );

  it('prefers custom drivers from the policy', () => {
    const custom: DriverSpec = { ...driver('pxd'), description: 'site build', options: [] };
    const mine: DriverSpec = { ...driver('local'), name: 'acme/store', aliases: ['store'] };
    expect(findDriver('pxd', [custom])).toBe(custom);
    expect(findDriver('store:latest', [mine])).toBe(mine);
    expect(findDriver('acme/store:v2', [mine])).toBe(mine);
    expect(findDriver('rexray/ebs', [mine])?.name).toBe('rexray/ebs');
  });

  it('normalises names', () => {
    expect(normalizeDriverName('rexray/ebs:latest')).toBe('rexray/ebs');
    expect(normalizeDriverName('index.docker.io/rexray/ebs@sha256:0123abcd')).toBe('rexray/ebs');
    expect(normalizeDriverName('cloudstor:aws')).toBe('cloudstor:aws');
    expect(normalizeDriverName('Local')).toBe('Local');
  });
});

describe('findOption', () => {
  it('honours REX-Ray aliases and case-insensitive keys', () => {
    const ebs = driver('rexray/ebs');
    for (const key of ['volumeType', 'volumetype', 'VOLUMETYPE', 'type', 'Type']) {
      expect(findOption(ebs, key)?.name).toBe('volumeType');
    }
    expect(findOption(ebs, 'SIZE')?.name).toBe('size');
    expect(findOption(ebs, 'fstype')).toBeUndefined();
  });

  it('is case-sensitive for drivers with exact keys', () => {
    expect(findOption(driver('local'), 'type')?.name).toBe('type');
    expect(findOption(driver('local'), 'Type')).toBeUndefined();
    expect(findOption(driver('cifs'), 'filemode')).toBeUndefined();
  });

  it('finds Trident aliases in any case', () => {
    expect(findOption(driver('netapp'), 'FSTYPE')?.name).toBe('fileSystemType');
  });
});

describe('sizes', () => {
  it('parses policy sizes: Gi binary, G decimal', () => {
    expect(parseSize('50Gi')).toBe(50 * GiB);
    expect(parseSize('50GiB')).toBe(50 * GiB);
    expect(parseSize('50gib')).toBe(50 * GiB);
    expect(parseSize('50G')).toBe(50e9);
    expect(parseSize('50GB')).toBe(50e9);
    expect(parseSize('50g')).toBe(50e9);
    expect(parseSize('50gb')).toBe(50e9);
    expect(parseSize('512Mi')).toBe(512 * MiB);
    expect(parseSize('100m')).toBe(100e6);
    expect(parseSize('1Ti')).toBe(2 ** 40);
    expect(parseSize('1.5Gi')).toBe(1.5 * GiB);
    expect(parseSize('2048b')).toBe(2048);
    expect(parseSize(' 10 GiB ')).toBe(10 * GiB);
  });

  it('reads bare numbers only with a unit for them', () => {
    expect(parseSize('10')).toBeUndefined();
    expect(parseSize('10', 'GiB')).toBe(10 * GiB);
    expect(parseSize('10', 'GB')).toBe(10e9);
    expect(parseSize('3', 'MiB')).toBe(3 * MiB);
  });

  it('rejects non-sizes', () => {
    for (const s of ['', 'abc', '-1Gi', '10Gx', '10i', 'Gi', '1,5Gi']) expect(parseSize(s), s).toBeUndefined();
  });

  it('formats 50Gi for each driver', () => {
    const fifty = parseSize('50Gi')!;
    expect(formatSize(fifty, sizeFormat('rexray/ebs'))).toEqual({ value: '50', exact: true });
    expect(formatSize(fifty, sizeFormat('pxd'))).toEqual({ value: '50G', exact: true });
    expect(formatSize(fifty, sizeFormat('local'))).toEqual({ value: '50G', exact: true });
    expect(formatSize(fifty, sizeFormat('vsphere'))).toEqual({ value: '50gb', exact: true });
    expect(formatSize(fifty, sizeFormat('netapp'))).toEqual({ value: '50', exact: true });
    expect(formatSize(fifty, sizeFormat('flocker'))).toEqual({ value: '50GiB', exact: true });
    // 50 GiB is 53.7 GB: cloudstor is given a little more, never less.
    expect(formatSize(fifty, sizeFormat('cloudstor:aws'))).toEqual({ value: '54', exact: false });
  });

  it('rounds up when the driver unit cannot hold the size', () => {
    expect(formatSize(parseSize('1.5Gi')!, sizeFormat('rexray/ebs'))).toEqual({ value: '2', exact: false });
    expect(formatSize(parseSize('50G')!, sizeFormat('rexray/ebs'))).toEqual({ value: '47', exact: false });
  });

  it('uses a smaller accepted unit when that is exact', () => {
    expect(formatSize(parseSize('1.5Gi')!, sizeFormat('pxd'))).toEqual({ value: '1536M', exact: true });
    expect(formatSize(parseSize('512Mi')!, sizeFormat('vsphere'))).toEqual({ value: '512mb', exact: true });
  });

  it('never formats a size smaller than asked', () => {
    const sizes = [1, 999_999, MiB + 1, parseSize('1.5Gi')!, parseSize('10G')!, parseSize('7Ti')!, 3 * GiB];
    for (const d of builtinDrivers) {
      const o = sizeOption(d);
      if (o?.type.kind !== 'size') continue;
      for (const bytes of sizes) {
        const { value, exact } = formatSize(bytes, o.type.format);
        const read = parseDriverSize(value, o.type.format);
        expect(read, `${d.name} ${value}`).toBeDefined();
        expect(read!, `${d.name} ${value}`).toBeGreaterThanOrEqual(bytes);
        if (exact) expect(read, `${d.name} ${value}`).toBe(bytes);
      }
    }
  });

  it('writes each driver unit with a suffix that means that unit', () => {
    for (const d of builtinDrivers) {
      const o = sizeOption(d);
      if (o?.type.kind !== 'size') continue;
      const f = o.type.format;
      expect(parseDriverSize(`1${f.style === 'suffix' ? f.suffix : ''}`, f), d.name).toBe(unitBytes(f.unit));
    }
  });

  it('checks values as written in driver_opts', () => {
    const rexray = sizeFormat('rexray/ebs');
    expect(checkSizeValue('10G', rexray)).toMatch(/whole number of GiB/);
    expect(checkSizeValue('10Gi', rexray)).toBeTypeOf('string');
    expect(checkSizeValue('1.5', rexray)).toBeTypeOf('string');
    expect(checkSizeValue('10', rexray)).toBeUndefined();

    const vsphere = sizeFormat('vsphere');
    expect(checkSizeValue('10gb', vsphere)).toBeUndefined();
    expect(checkSizeValue('100mb', vsphere)).toBeUndefined();
    expect(checkSizeValue('10', vsphere)).toMatch(/no unit/);
    expect(checkSizeValue('10G', vsphere)).toBeTypeOf('string');

    expect(checkSizeValue('10', sizeFormat('pxd'))).toBeUndefined();
    // Docker's local driver reads a bare number as bytes (units.RAMInBytes): taken, and warned about by the check.
    expect(checkSizeValue('10', sizeFormat('local'))).toBeUndefined();
    expect(parseDriverSize('10', sizeFormat('local'))).toBe(10);
    expect(checkSizeValue('10g', sizeFormat('local'))).toBeUndefined();
    expect(checkSizeValue('10GB', sizeFormat('cloudstor:aws'))).toBeTypeOf('string');
  });

  it('reads a plain G as the driver does', () => {
    expect(parseDriverSize('10G', sizeFormat('local'))).toBe(10 * GiB);
    expect(parseDriverSize('10', sizeFormat('pxd'))).toBe(10 * GiB);
    expect(parseDriverSize('10', sizeFormat('cloudstor:aws'))).toBe(10e9);
    expect(parseDriverSize('10G', sizeFormat('rexray/ebs'))).toBeUndefined();
  });
});

describe('attachModeOf', () => {
  it('local: network types are shared, everything else stays on the node', () => {
    const local = driver('local');
    expect(attachModeOf(local, {})).toBe('node-local');
    expect(attachModeOf(local, { type: 'nfs', device: ':/export', o: 'addr=10.0.0.1' })).toBe('multi');
    expect(attachModeOf(local, { type: 'NFS4', device: ':/export' })).toBe('multi');
    expect(attachModeOf(local, { type: 'cifs', device: '//host/share' })).toBe('multi');
    expect(attachModeOf(local, { type: 'tmpfs', device: 'tmpfs' })).toBe('node-local');
    expect(attachModeOf(local, { type: 'ext4', device: '/dev/sdb' })).toBe('node-local');
    expect(attachModeOf(local, { type: 'none', o: 'bind', device: '/srv/data' })).toBe('node-local');
  });

  it('pxd: shared or sharedv4 make it multi-attach', () => {
    const pxd = driver('pxd');
    expect(attachModeOf(pxd, {})).toBe('single');
    expect(attachModeOf(pxd, { shared: 'true' })).toBe('multi');
    expect(attachModeOf(pxd, { sharedv4: 'true' })).toBe('multi');
    expect(attachModeOf(pxd, { shared: 'false', size: '10G' })).toBe('single');
  });

  it('cloudstor:aws: shared is EFS, relocatable or nothing is EBS', () => {
    const aws = driver('cloudstor:aws');
    expect(attachModeOf(aws, { backing: 'shared' })).toBe('multi');
    expect(attachModeOf(aws, { backing: 'relocatable', size: '10' })).toBe('single');
    expect(attachModeOf(aws, {})).toBe('single');
  });

  it('netapp: NAS unless SAN-only options are set; REX-Ray by backend', () => {
    expect(attachModeOf(driver('netapp'), { size: '10' })).toBe('multi');
    expect(attachModeOf(driver('netapp'), { FsType: 'xfs' })).toBe('single');
    expect(attachModeOf(driver('rexray/ebs'), {})).toBe('single');
    expect(attachModeOf(driver('rexray/efs'), {})).toBe('multi');
    expect(attachModeOf(driver('convoy'), { driver: 'ebs' })).toBe('single');
    expect(attachModeOf(driver('convoy'), { driver: 'glusterfs' })).toBe('multi');
  });
});

describe('missingOptions', () => {
  const names = (d: string, opts: Record<string, string>) => missingOptions(driver(d), opts).map((o) => o.name);

  it('knows conditional requirements', () => {
    expect(names('cloudstor:aws', {})).toEqual(['size']);
    expect(names('cloudstor:aws', { backing: 'shared' })).toEqual([]);
    expect(names('cloudstor:aws', { size: '10', ebstype: 'io1' })).toEqual(['iops']);
    expect(names('azurefile', {})).toEqual(['share']);
    expect(names('sapk/plugin-gluster', { voluri: 'a,b:vol' })).toEqual([]);
  });
});

describe('catalog contents', () => {
  const documented = [
    'local',
    'rexray/ebs',
    'rexray/efs',
    'rexray/s3fs',
    'rexray/gcepd',
    'rexray/dobs',
    'rexray/cinder',
    'rexray/scaleio',
    'rexray/rbd',
    'rexray/isilon',
    'rexray/csi-nfs',
    'convoy',
    'glusterfs',
    'sapk/plugin-gluster',
    'nfs',
    'cifs',
    'efs',
    'ceph',
    'trajano/nfs-volume-plugin',
    'pxd',
    'vsphere',
    'vfile',
    'flocker',
    'azurefile',
    'cloudstor:azure',
    'cloudstor:aws',
    'dostorage',
    'netapp',
  ];

  it.each(documented)('has %s', (name) => {
    expect(findDriver(name)?.name).toBe(name);
  });

  it('has no duplicate driver names or aliases', () => {
    const seen = new Map<string, string>();
    for (const d of builtinDrivers) {
      for (const n of [d.name, ...(d.aliases ?? [])].map(normalizeDriverName)) {
        expect(seen.get(n), `${n} in ${d.name}`).toBeUndefined();
        seen.set(n, d.name);
      }
    }
  });

  it('has no duplicate option names or aliases within a driver', () => {
    for (const d of builtinDrivers) {
      const keys = d.options.flatMap((o) => [o.name, ...(o.aliases ?? [])]);
      const norm = keys.map((k) => (d.caseInsensitiveKeys ? k.toLowerCase() : k));
      expect(new Set(norm).size, d.name).toBe(norm.length);
    }
  });

  it('refers only to options that exist', () => {
    for (const d of builtinDrivers) {
      for (const o of d.options) {
        for (const ref of [...(o.requires ?? []), ...(o.conflicts ?? []), ...(o.requiredWhen ?? []).map((c) => c.option)]) {
          expect(findOption(d, ref), `${d.name} ${o.name} -> ${ref}`).toBeDefined();
        }
      }
      for (const rule of d.attachRules ?? []) expect(findOption(d, rule.option), `${d.name} rule ${rule.option}`).toBeDefined();
      for (const trap of d.pluginSettings ?? []) {
        expect(findOption({ ...d, caseInsensitiveKeys: true }, trap.option), `${d.name} trap ${trap.option}`).toBeUndefined();
      }
    }
  });

  it('keeps the driver minimum and the size option minimum in step', () => {
    for (const d of builtinDrivers) {
      const o = sizeOption(d);
      const optionMin = o?.type.kind === 'size' ? o.type.min : undefined;
      expect(optionMin, d.name).toBe(d.minSize);
      if (d.minSize) expect(parseSize(d.minSize), d.name).toBeGreaterThan(0);
    }
  });

  it('marks credentials as secret', () => {
    expect(option('cifs', 'password').secret).toBe(true);
    expect(option('pxd', 'secret_key').secret).toBe(true);
  });

  it('records the documented plugin-setting traps', () => {
    const traps = (name: string) => (driver(name).pluginSettings ?? []).map((t) => t.setting);
    expect(traps('rexray/ebs')).toEqual(expect.arrayContaining(['REXRAY_FSTYPE', 'EBS_KMSKEYID', 'REXRAY_PREEMPT']));
    expect(traps('rexray/gcepd')).not.toContain('EBS_KMSKEYID');
    expect(driver('nfs').pluginSettings?.some((t) => t.option === 'version')).toBe(true);
  });

  it('applies the documented name rules', () => {
    const gce = new RegExp(driver('rexray/gcepd').nameRule!.pattern!);
    expect(gce.test('stack-data')).toBe(true);
    expect(gce.test('stack_data')).toBe(false);
    expect(new RegExp(driver('rexray/dobs').nameRule!.pattern!).test('stack_data')).toBe(false);
    const inline = new RegExp(driver('pxd').nameRule!.meaningful![0].pattern);
    expect(inline.test('name=foo,size=10G')).toBe(true);
    expect(inline.test('stack_data')).toBe(false);
  });

  it('uses only reject for local and azurefile', () => {
    const rejecting = builtinDrivers.filter((d) => d.unknownOptions === 'reject').map((d) => d.name);
    expect(rejecting.sort()).toEqual(['azurefile', 'local']);
  });
});
