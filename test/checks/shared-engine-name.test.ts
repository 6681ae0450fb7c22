import { describe, expect, it } from 'vitest';
import { locator, messages, run, seen } from './helpers.js';

const code = 'shared-engine-name';
const at = locator(code);

describe(code, () => {
  const result = run(code, 'trigger.yml', { projectName: 'shop' });

  it('reports keys given one engine name with other options, or merged into one name by render', () => {
    expect(seen(result, code)).toEqual([
      { severity: 'error', at: at('trigger.yml', 15, 11), volume: 'archive' },
      { severity: 'error', at: at('trigger.yml', 18, 11), volume: 'cache' },
      { severity: 'error', at: at('voldriver.yml', 10, 11), volume: 'media' },
    ]);
  });

  it('names both volumes and what goes wrong', () => {
    const [options, unclassed, merged] = messages(result, code);
    expect(options).toContain('volumes "logs" and "archive" are both created as "same", with different drivers or options');
    expect(unclassed).toContain('volumes "logs" and "cache"');
    expect(merged).toContain('had their own volumes ("shop_uploads", "shop_media") and are now both created as "shop-data"');
  });

  it('takes an empty name: as none, as Docker does: each volume keeps <stack>_<key> (an external one, its key)', () => {
    const result = run(code, 'empty-names.yml', { projectName: 'shop' });
    expect(seen(result, code)).toEqual([]);
    expect(seen(result, 'engine-name')).toEqual([]);
    expect(seen(result, 'driver-changed')).toEqual([]);
    expect(result.plans.map((plan) => [plan.volume, plan.engineName])).toEqual([
      ['logs', 'shop_logs'],
      ['archive', 'shop_archive'],
      ['media', 'media'],
    ]);
  });

  it('leaves keys that share a name with the same definition, and external volumes', () => {
    expect(seen(run(code, 'clean.yml', { projectName: 'shop' }), code)).toEqual([]);
  });
});
