import { describe, expect, it } from 'vitest';
import { locator, messages, run, seen } from './helpers.js';

const code = 'anonymous-volume';
const at = locator(code);

describe(code, () => {
  it('warns about each anonymous volume of a service Swarm runs, in the short and the long syntax', () => {
    expect(seen(run(code, 'trigger.yml'), code)).toEqual([
      { severity: 'warning', at: at('trigger.yml', 7, 9), volume: undefined },
      { severity: 'warning', at: at('trigger.yml', 8, 9), volume: undefined },
    ]);
    expect(messages(run(code, 'trigger.yml'), code)[0]).toContain(
      'service "db" mounts an anonymous volume at /var/lib/postgresql/data: Swarm gives every new task (each update, restart or reschedule) a new, empty volume there, and the data of the task before stays behind in a volume nothing mounts',
    );
  });

  it('with --target swarm, every service counts; named volumes, binds and tmpfs never do', () => {
    expect(seen(run(code, 'trigger.yml', { target: 'swarm' }), code).map((f) => f.at)).toEqual([
      at('trigger.yml', 7, 9),
      at('trigger.yml', 8, 9),
      at('trigger.yml', 17, 9),
    ]);
  });

  it('is silenced by the policy', () => {
    expect(seen(run(code, 'trigger.yml', { target: 'swarm', policy: 'off.yml' }), code)).toEqual([]);
  });
});
