import { describe, expect, it } from 'vitest';
import { loadProject } from '../../src/compose/project.js';
import { loadBuiltinPolicy, loadPolicyText } from '../../src/policies/load.js';
import { renderProject } from '../../src/transform/pipeline.js';
import { locator, messages, run, seen } from './helpers.js';

/** A compose file given as text, rendered with the default policy. */
function runText(text: string) {
  const project = loadProject({ files: ['c.yml'], io: { readFile: () => text } });
  return renderProject(project, loadBuiltinPolicy('builtin:default'), { projectName: 'p' });
}

const code = 'invalid-option-value';
const at = locator(code);

describe(code, () => {
  const result = run(code, 'trigger.yml');

  it('reports wrong units, types, ranges and sizes below the minimum as errors, values the catalog does not list as warnings', () => {
    expect(seen(result, code)).toEqual([
      { severity: 'error', at: at('trigger.yml', 13, 13), volume: 'ebs' },
      { severity: 'warning', at: at('trigger.yml', 14, 19), volume: 'ebs' },
      { severity: 'error', at: at('trigger.yml', 15, 13), volume: 'ebs' },
      { severity: 'error', at: at('trigger.yml', 16, 18), volume: 'ebs' },
      { severity: 'error', at: at('trigger.yml', 21, 13), volume: 'gce' },
      { severity: 'error', at: at('trigger.yml', 25, 13), volume: 'px' },
      { severity: 'warning', at: at('voldriver.yml', 7, 20), volume: 'scratch' },
    ]);
  });

  it('explains each problem', () => {
    const [size, type, iops, bool, min, repl, priority] = messages(result, code);
    expect(size).toContain('"10G" has a unit: this driver wants a whole number of GiB');
    expect(type).toContain('"gp3" is not among the values the catalog lists for volumeType (gp2, io1, st1, sc1, standard)');
    expect(type).toContain('the backend may take it (a newer type, say), but that is unverified');
    expect(iops).toContain('expected a whole number');
    expect(bool).toContain('expected "true" or "false"');
    expect(min).toContain("below the driver's minimum of 10GB");
    expect(repl).toContain('above the maximum 3');
    expect(priority).toContain('"urgent" is not among the values the catalog lists for io_priority');
  });

  describe('values known to be refused', () => {
    const refused = run(code, 'refused.yml');
    const found = (volume: string) => refused.findings.filter((f) => f.code === code && f.volume === volume);

    it('are errors where Docker, the plugin or its backend is documented to refuse them; nothing else is', () => {
      expect(seen(refused, code)).toEqual([
        { severity: 'error', at: at('refused.yml', 15, 19), volume: 'ebs' },
        { severity: 'error', at: at('refused.yml', 19, 19), volume: 'efs' },
        { severity: 'error', at: at('refused.yml', 24, 15), volume: 'smb' },
        { severity: 'error', at: at('refused.yml', 31, 10), volume: 'nas' },
        { severity: 'error', at: at('refused.yml', 35, 19), volume: 'vmdk' },
      ]);
    });

    it('name the option, the value, who refuses it and what to write instead', () => {
      const [ebs] = found('ebs');
      expect(ebs.message).toBe('volume "ebs" (driver rexray/ebs): volumeType "gp9" is refused by Amazon EC2 (CreateVolume): it is not an EBS volume type, so creating the volume fails and the task is rejected');
      expect(ebs.hint).toBe('write an EBS volume type: gp2, io1, st1, sc1 or standard (gp3 and io2 exist, unverified with this plugin)');
      const [smb] = found('smb');
      expect(smb.message).toMatch(/^volume "smb" \(driver local\): device "\/\/files.example.com:445\/share" is refused by Docker's local driver: a CIFS device may not carry a port/);
      expect(smb.hint).toBe('write the device without the port (//host/share) and the port in o (port=445)');
      expect(found('nas')[0].message).toContain('o "addr=nas.example.com,rw" is refused by the kernel, when the first container mounts the volume: with type nfs4 Docker passes the addr= host name to mount(2) unresolved');
      expect(found('nas')[0].hint).toContain('type: nfs with nfsvers=4 in o');
      expect(found('efs')[0].hint).toBe('write generalPurpose or maxIO');
      expect(found('vmdk')[0].message).toContain(`diskformat "thick" is refused by the vSphere plugin's ESX service`);
    });

    it('only when the value is refused: an EBS type EC2 has (gp3, io2, in any case) stays an unverified warning', () => {
      for (const value of ['gp3', 'io2', 'GP2']) {
        const text = `services:\n  app:\n    image: x\n    volumes: [v:/v]\nvolumes:\n  v:\n    driver: rexray/ebs\n    driver_opts:\n      volumetype: ${value}\n`;
        const result = runText(text);
        expect(seen(result, code).map((f) => f.severity), value).toEqual(['warning']);
      }
    });

    it('only beside the option value the refusal depends on', () => {
      const local = (type: string, opts: string) => runText(`services:\n  app:\n    image: x\n    volumes: [v:/v]\nvolumes:\n  v:\n    driver: local\n    driver_opts:\n      type: ${type}\n${opts}`);
      // Docker compares type with "cifs" exactly, and resolves addr= itself for type nfs.
      expect(seen(local('smb3', '      device: //h:445/s\n'), code)).toEqual([]);
      expect(seen(local('cifs', '      device: //h/s\n      o: port=445\n'), code)).toEqual([]);
      expect(seen(local('nfs4', '      device: :/e\n      o: addr=10.0.0.5,rw\n'), code)).toEqual([]);
      expect(seen(local('nfs4', '      device: :/e\n      o: addr=fe80::1,rw\n'), code)).toEqual([]);
      expect(seen(local('nfs4', '      device: :/e\n      o: rw,addr=nas\n'), code).map((f) => f.severity)).toEqual(['error']);
    });

    it('a tmpfs size the kernel cannot read (a policy unit such as Gi, GB, a fraction) is refused; its own forms are not', () => {
      const tmpfs = (o: string) => runText(`services:\n  app:\n    image: x\n    volumes: [v:/v]\nvolumes:\n  v:\n    driver: local\n    driver_opts:\n      type: tmpfs\n      device: tmpfs\n      o: "${o}"\n`);
      for (const o of ['size=10Gi', 'size=1.5g', 'uid=1000,size=2GB', 'size=', 'nr_blocks=10Mi,mode=1777', 'size=10 g']) {
        const found = seen(tmpfs(o), code);
        expect(found.map((f) => f.severity), o).toEqual(['error']);
      }
      expect(tmpfs('size=10Gi').findings.find((f) => f.code === code)?.hint).toContain('size=2g');
      for (const o of ['size=10g', 'size=512M', 'size=1048576', 'size=50%,uid=1000', 'mode=1777', 'uid=1000,size=64k', 'nr_blocks=100']) {
        expect(seen(tmpfs(o), code), o).toEqual([]);
      }
      // Only tmpfs reads size= this way.
      const nfs = runText('services:\n  app:\n    image: x\n    volumes: [v:/v]\nvolumes:\n  v:\n    driver: local\n    driver_opts:\n      type: nfs\n      device: :/e\n      o: addr=10.0.0.5,size=10Gi\n');
      expect(seen(nfs, code)).toEqual([]);
    });
  });

  it('vSphere: a clone takes no size or fstype of its own, which the plugin refuses as conflicting options', () => {
    const text = 'services:\n  app:\n    image: x\n    volumes: [v:/v]\nvolumes:\n  v:\n    driver: vsphere\n    driver_opts:\n      clone-from: base\n      size: 10gb\n';
    expect(runText(text).findings.filter((f) => f.code === 'conflicting-options').map((f) => f.message)).toEqual([
      'volume "v": options "clone-from" and "size" of vsphere cannot be used together; the driver refuses to create the volume',
    ]);
  });

  it('accepts values in the driver format, including sizes converted from parameters', () => {
    expect(seen(run(code, 'clean.yml'), code)).toEqual([]);
  });

  it('does not judge a value still holding a placeholder', () => {
    const result = run(code, 'unresolved.yml');
    expect(result.findings.map((f) => f.code)).toContain('missing-parameter');
    expect(seen(result, code)).toEqual([]);
  });

  it('warns, without refusing, about a local size Docker reads as bytes, and takes one in bytes that is meant', () => {
    const tiny = runText('services:\n  a:\n    image: x\n    volumes: [v:/v]\nvolumes:\n  v:\n    driver_opts: {size: 10}\n');
    const found = tiny.findings.filter((f) => f.code === code);
    expect(found.map((f) => [f.severity, f.line, f.col])).toEqual([['warning', 7, 25]]);
    expect(found[0].message).toContain('size "10" has no unit, so local reads it as 10 bytes');
    expect(found[0].hint).toBe('write the unit: size: "10G"');
    const meant = runText('services:\n  a:\n    image: x\n    volumes: [v:/v]\nvolumes:\n  v:\n    driver_opts: {size: "10737418240"}\n');
    expect(meant.findings.filter((f) => f.code === code)).toEqual([]);
  });

  it("hints with the option's description, or says a policy's own driver gives none", () => {
    const policy = loadPolicyText(
      [
        'version: 1',
        'drivers:',
        '  - name: mycorp/fs',
        '    scope: global',
        '    attach: multi',
        '    options:',
        '      - { name: passkey, type: { kind: string, pattern: "^[a-z]{4,}$" } }',
        '      - { name: level, type: { kind: int, min: 1, max: 3 }, description: "replication level, 1 to 3" }',
        'classes:',
        '  vault:',
        '    driver: mycorp/fs',
        '    driver_opts: { passkey: "ab", level: "9" }',
      ].join('\n'),
      'p.yml',
    );
    const project = loadProject({ files: ['c.yml'], io: { readFile: () => 'services:\n  a:\n    image: x\n    volumes: [v:/v]\nvolumes:\n  v:\n    x-voldriver: vault\n' } });
    const hints = renderProject(project, policy, { projectName: 'p' }).findings.filter((f) => f.code === code).map((f) => f.hint);
    expect(hints).toEqual([
      "passkey: driver mycorp/fs gives it no description (a description: on the option in the policy's drivers: is shown here)",
      'level: replication level, 1 to 3',
    ]);
  });
});
