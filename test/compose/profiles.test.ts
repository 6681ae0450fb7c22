import { describe, expect, it } from 'vitest';
import { activeProfiles, applyProfiles, isEnabled } from '../../src/compose/profiles.js';
import { InputError } from '../../src/findings.js';

describe('profiles', () => {
  it('uses --profile when given, else COMPOSE_PROFILES', () => {
    expect(activeProfiles(['a'], 'b,c')).toEqual(['a']);
    expect(activeProfiles([], ' b, c ,,b')).toEqual(['b', 'c']);
    expect(activeProfiles(undefined, undefined)).toEqual([]);
  });

  it('keeps services without profiles and those with an active one', () => {
    expect(isEnabled({}, [])).toBe(true);
    expect(isEnabled({ profiles: [] }, [])).toBe(true);
    expect(isEnabled({ profiles: ['x'] }, [])).toBe(false);
    expect(isEnabled({ profiles: ['x', 'y'] }, ['y'])).toBe(true);
    expect(isEnabled({ profiles: ['x'] }, ['*'])).toBe(true);
  });

  it('drops the services that are off', () => {
    const model = { services: { a: {}, b: { profiles: ['x'] }, c: { profiles: ['y'] } }, volumes: { v: {} } };
    const result = applyProfiles(model, ['y']);
    expect(result.model).toEqual({ services: { a: {}, c: { profiles: ['y'] } }, volumes: { v: {} } });
    expect(result.disabled).toEqual(['b']);
    expect(model.services.b).toBeDefined();
  });

  it('refuses a required dependency on a service that is off', () => {
    const model = { services: { a: { depends_on: ['b'] }, b: { profiles: ['x'] } } };
    expect(() => applyProfiles(model, [])).toThrow(InputError);
    expect(() => applyProfiles(model, [])).toThrow(/service "a" depends on service "b", which is disabled/);
    const optional = { services: { a: { depends_on: { b: { condition: 'service_started', required: false } } }, b: { profiles: ['x'] } } };
    expect(applyProfiles(optional, []).disabled).toEqual(['b']);
  });
});
