import { describe, expect, it } from 'vitest';
import { locator, messages, run, seen } from './helpers.js';

const code = 'engine-name';
const at = locator(code);

describe(code, () => {
  const result = run(code, 'trigger.yml');

  it('reports derived names at the volume key and written names at name:', () => {
    expect(seen(result, code)).toEqual([
      { severity: 'warning', at: at('trigger.yml', 11, 3), volume: 'pgdata' },
      { severity: 'warning', at: at('trigger.yml', 15, 11), volume: 'spaces' },
      { severity: 'warning', at: at('trigger.yml', 16, 3), volume: 'pool.images' },
      { severity: 'warning', at: at('trigger.yml', 18, 3), volume: 'gluster' },
      { severity: 'warning', at: at('voldriver.yml', 5, 11), volume: 'disk' },
    ]);
  });

  it('explains the prefix, the pattern and the meaning', () => {
    const [gce, dobs, rbd, gluster, classed] = messages(result, code);
    // Without -p, the project is named after the folder, as Compose does.
    expect(gce).toContain('created as "engine-name_pgdata"');
    expect(gce).toContain('set a name the driver accepts, e.g. name: "pgdata"');
    expect(dobs).toContain('created as "my_spaces"');
    // A name set with name: gets no stack prefix, so the message does not talk about one.
    expect(dobs).toContain('DigitalOcean volume names cannot contain "_".');
    expect(dobs).not.toContain('prefix');
    expect(gce).toContain('The "<stack>_" prefix adds an underscore');
    expect(rbd).toContain('selects the Ceph pool');
    expect(gluster).toContain('volfile id');
    expect(classed).toContain('created as "disk_disk"');
  });

  it('uses the project name when it is known', () => {
    expect(messages(run(code, 'trigger.yml', { projectName: 'shop' }), code)[0]).toContain('created as "shop_pgdata"');
  });

  it('accepts names that fit, meanings written on purpose, and task templates', () => {
    expect(seen(run(code, 'clean.yml'), code)).toEqual([]);
  });
});

describe(`${code}: the name it suggests`, () => {
  it('is one the driver takes, or none', () => {
    const [scratch, db] = messages(run(code, 'example.yml'), code);
    // "_Scratch" gives "scratch", not "-scratch"; "1.db" gives "1-db", which GCE refuses (a letter first): no example.
    expect(scratch).toContain('e.g. name: "scratch"');
    expect(db).toContain('set a name the driver accepts with name:');
    expect(db).not.toContain('e.g.');
  });
});
