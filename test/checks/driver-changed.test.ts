import { describe, expect, it } from 'vitest';
import { messages, run, seen } from './helpers.js';

const code = 'driver-changed';
const at = (line: number, col: number) => `fixtures/checks/${code}/trigger.yml:${line}:${col}`;

describe(code, () => {
  const result = run(code, 'trigger.yml');

  it('warns when a rewrite changes the driver, the name or the options of a volume the input tied down', () => {
    expect(seen(result, code)).toEqual([
      { severity: 'warning', at: at(13, 13), volume: 'pgdata' },
      { severity: 'warning', at: at(16, 11), volume: 'uploads' },
      { severity: 'warning', at: at(21, 7), volume: 'cache' },
      { severity: 'warning', at: at(23, 3), volume: 'logs' },
      { severity: 'warning', at: at(27, 13), volume: 'media' },
      { severity: 'warning', at: at(30, 3), volume: 'scratch' },
    ]);
  });

  it('says that Docker migrates nothing', () => {
    const [driver, name, options, implicit, relabelled, derived] = messages(result, code);
    expect(driver).toContain('changes it to "rexray/ebs": Docker does not migrate data');
    expect(name).toContain('a new, EMPTY volume "uploads-v2"; the data stays in "uploads-prod"');
    expect(options).toContain('keeps the options it was created with');
    expect(implicit).toContain('written with driver "local"');
    expect(relabelled).toContain('"rexray/ebs" and class "replicated" changes it to "pxd"');
    expect(derived).toContain('"scratch-v2" instead of "driver-changed_scratch"');
  });

  it('stays quiet when nothing changes', () => {
    expect(seen(run(code, 'clean.yml'), code)).toEqual([]);
  });

  it('warns when a class renames a volume that had Docker\'s default name, and notes a new driver as info', () => {
    const implicit = run(code, 'implicit.yml');
    const where = (line: number, col: number) => `fixtures/checks/${code}/implicit.yml:${line}:${col}`;
    expect(seen(implicit, code)).toEqual([
      { severity: 'warning', at: where(8, 3), volume: 'fresh' },
      { severity: 'info', at: where(10, 3), volume: 'moved' },
    ]);
    const [renamed, moved] = messages(implicit, code);
    expect(renamed).toContain('a new, EMPTY volume "fresh-v2" and the data stays in "driver-changed_fresh"');
    expect(moved).toContain('moves it to "rexray/ebs"');
    expect(moved).toContain('the local volume "driver-changed_moved"');
  });

  it('counts driver_opts written without a driver as options of the local driver the volume was created with', () => {
    const result = run(code, 'options-without-driver.yml');
    const where = (line: number, col: number) => `fixtures/checks/${code}/options-without-driver.yml:${line}:${col}`;
    expect(seen(result, code)).toEqual([
      { severity: 'warning', at: where(12, 7), volume: 'nfs' },
      { severity: 'warning', at: where(18, 7), volume: 'moved' },
      { severity: 'warning', at: where(23, 7), volume: 'same' },
    ]);
    const [options, moved, same] = messages(result, code);
    expect(options).toContain('class "plain" changes the driver_opts of volume "nfs" (driver local)');
    expect(moved).toContain('written with driver_opts for Docker\'s default driver (local) and class "durable" changes it to "rexray/ebs"');
    expect(same).toContain('changes it to "pxd"');
    expect(result.output).not.toContain('addr=10.0.0.1');
  });

  it('warns when a render for another environment takes away the name an earlier render wrote', () => {
    const where = (line: number, col: number) => `fixtures/checks/${code}/rendered-for-prod.yml:${line}:${col}`;
    const dev = run(code, 'rendered-for-prod.yml', { policy: 'environments.yml', env: 'dev' });
    expect(seen(dev, code)).toEqual([{ severity: 'warning', at: where(12, 11), volume: 'data' }]);
    expect(messages(dev, code)[0]).toContain('no name in this environment, so Docker names it "driver-changed_data" instead of "data-v2"');
    expect(dev.plans[0].engineName).toBe('driver-changed_data');
    expect(dev.output).not.toContain('name:');
    const prod = run(code, 'rendered-for-prod.yml', { policy: 'environments.yml', env: 'prod' });
    expect(seen(prod, code)).toEqual([]);
    expect(prod.plans[0].engineName).toBe('data-v2');
  });
});
