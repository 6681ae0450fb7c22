import { describe, expect, test } from 'vitest';
import { compareVolume, labelDifferences, type WantedVolume } from '../../src/deploy/drift.js';
import type { SwarmService } from '../../src/deploy/engine.js';
import { optionTable } from '../../src/deploy/preflight.js';

function service(name: string, source: string, driver: string | undefined, options: Record<string, string>): SwarmService {
  return {
    ID: name,
    Spec: { Name: name, TaskTemplate: { ContainerSpec: { Mounts: [{ Type: 'volume', Source: source, Target: '/d', VolumeOptions: { DriverConfig: driver === undefined ? undefined : { Name: driver, Options: options } } }] } } },
  };
}

const wanted: WantedVolume = { volume: 'data', engineName: 'shop_data', driver: 'pxd', options: { size: '10G', repl: '3' }, external: false, services: ['db'] };

describe('compareVolume', () => {
  test('nothing running and no volume: new', () => {
    expect(compareVolume(wanted, [], undefined)).toMatchObject({ state: 'new', exists: false, differences: [] });
  });

  test('the same driver (name:latest) and options, in another order: unchanged', () => {
    const running = [service('shop_db', 'shop_data', 'pxd:latest', { repl: '3', size: '10G' })];
    expect(compareVolume(wanted, running, { Name: 'shop_data', Driver: 'pxd', Options: { repl: '3', size: '10G' } }).state).toBe('unchanged');
  });

  test('a changed option in the service spec is drift, with the old values and where they were seen', () => {
    const running = [service('shop_db', 'shop_data', 'pxd', { size: '5G', repl: '3' }), service('shop_backup', 'shop_data', 'pxd', { size: '5G', repl: '3' })];
    const state = compareVolume(wanted, running, undefined);
    expect(state.state).toBe('drift');
    expect(state.driverChanged).toBe(false);
    expect(state.differences).toEqual([{ source: 'service shop_db, service shop_backup', driver: 'pxd', options: { size: '5G', repl: '3' } }]);
  });

  test('a volume on this engine with other options is drift even with no stack running', () => {
    const state = compareVolume(wanted, [], { Name: 'shop_data', Driver: 'pxd', Options: { size: '10G' } });
    expect(state).toMatchObject({ state: 'drift', exists: true, differences: [{ source: 'volume on this engine', options: { size: '10G' } }] });
  });

  test('an added or removed option is drift', () => {
    expect(compareVolume(wanted, [service('s', 'shop_data', 'pxd', { size: '10G', repl: '3', io_priority: 'high' })], undefined).state).toBe('drift');
  });

  test('a changed driver is drift and says so; no driver config means local', () => {
    const state = compareVolume(wanted, [service('shop_db', 'shop_data', undefined, {})], { Name: 'shop_data', Driver: 'local', Options: null });
    expect(state.driverChanged).toBe(true);
    expect(state.differences).toEqual([{ source: 'service shop_db, volume on this engine', driver: 'local', options: {} }]);
  });

  test('mounts of other volumes do not count', () => {
    expect(compareVolume(wanted, [service('shop_db', 'shop_other', 'local', {})], undefined).state).toBe('new');
  });

  test('external volumes are not compared', () => {
    expect(compareVolume({ ...wanted, external: true }, [service('x', 'shop_data', 'local', {})], undefined)).toMatchObject({ state: 'external', exists: false });
  });
});

describe('labels', () => {
  const labelled: WantedVolume = { ...wanted, labels: { backup: 'daily', 'com.compose-voldriver.class': 'durable' } };
  const volume = (labels: Record<string, string>) => ({ Name: 'shop_data', Driver: 'pxd', Options: { size: '10G', repl: '3' }, Labels: { 'com.docker.stack.namespace': 'shop', ...labels } });

  test('a declared label the volume has with another value, or lacks, is drift: Docker keeps the old ones', () => {
    const state = compareVolume(labelled, [], volume({ backup: 'weekly', 'com.compose-voldriver.class': 'durable' }));
    expect(state.state).toBe('drift');
    expect(state.driverChanged).toBe(false);
    expect(state.differences).toEqual([{ source: 'volume on this engine', driver: 'pxd', options: { size: '10G', repl: '3' }, labels: { backup: 'weekly', 'com.compose-voldriver.class': 'durable' } }]);
    expect(compareVolume(labelled, [], volume({ 'com.compose-voldriver.class': 'durable' })).state).toBe('drift');
    expect(compareVolume(labelled, [], volume({ backup: 'daily', 'com.compose-voldriver.class': 'fast' })).state).toBe('drift');
  });

  test('the same labels, labels set by hand beyond them, and no class label on a volume made before render are unchanged', () => {
    expect(compareVolume(labelled, [], volume({ backup: 'daily', 'com.compose-voldriver.class': 'durable', owner: 'ops' })).state).toBe('unchanged');
    expect(compareVolume(labelled, [], volume({ backup: 'daily' })).state).toBe('unchanged');
  });

  test('the running services\' mount labels count as the volume\'s', () => {
    const running = service('shop_db', 'shop_data', 'pxd', { size: '10G', repl: '3' });
    const mount = running.Spec.TaskTemplate?.ContainerSpec?.Mounts?.[0];
    if (mount?.VolumeOptions) mount.VolumeOptions.Labels = { backup: 'never', 'com.docker.stack.namespace': 'shop' };
    expect(compareVolume(labelled, [running], undefined)).toMatchObject({ state: 'drift', differences: [{ source: 'service shop_db', labels: { backup: 'never' } }] });
  });

  test('labelDifferences names the declared keys that differ', () => {
    expect(labelDifferences({ a: '1', b: '2', extra: 'x' }, { a: '1', b: '3', c: '4' })).toEqual(['b', 'c']);
  });
});

describe('optionTable', () => {
  test('old and new side by side, only the keys that differ', () => {
    expect(optionTable({ size: '5G', repl: '3' }, { size: '10G', repl: '3', fs: 'xfs' }, 'running')).toEqual([
      'option  running  new',
      'fs      (unset)  "xfs"',
      'size    "5G"     "10G"',
    ]);
  });
});
