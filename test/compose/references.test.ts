/** Services naming networks, secrets and configs the project does not declare: Compose and stack deploy refuse them. */
import { describe, expect, it } from 'vitest';
import { loadProject } from '../../src/compose/project.js';
import { memoryIO } from '../helpers/memory-io.js';

const load = (files: Record<string, string>, names = ['c.yml']) => loadProject({ files: names, io: memoryIO(files) });
const undefinedOnes = (project: ReturnType<typeof load>) =>
  project.findings.filter((f) => f.code.startsWith('undefined-')).map((f) => [f.code, f.path?.join('.'), `${f.file}:${f.line}:${f.col}`]);

describe('undefined networks, secrets and configs', () => {
  it('are errors at the entry, in the list and the mapping form, the short and the long form', () => {
    const text = [
      'services:',
      '  a:',
      '    image: x',
      '    networks: [default, front, bak]',
      '    secrets: [token, { source: tokn, target: t }]',
      '    configs: [{ source: conf }, cnf]',
      '  b:',
      '    image: x',
      '    networks:',
      '      front: { aliases: [b] }',
      '      other: {}',
      'networks:',
      '  front: {}',
      'secrets:',
      '  token: { external: true }',
      'configs:',
      '  conf: { file: ./c }',
      '',
    ].join('\n');
    const project = load({ 'c.yml': text });
    expect(undefinedOnes(project)).toEqual([
      ['undefined-network', 'services.a.networks.2', 'c.yml:4:32'],
      ['undefined-secret', 'services.a.secrets.1.source', 'c.yml:5:24'],
      ['undefined-config', 'services.a.configs.1', 'c.yml:6:33'],
      ['undefined-network', 'services.b.networks.other', 'c.yml:11:7'],
    ]);
    expect(project.findings.find((f) => f.code === 'undefined-secret')?.message).toBe(
      'service "a" refers to secret "tokn", which is not declared under top-level secrets: docker compose and docker stack deploy refuse it (did you mean "token"?)',
    );
    expect(project.findings.every((f) => f.severity === 'error' || !f.code.startsWith('undefined-'))).toBe(true);
  });

  it('are declared by any file of the project: an override, an included file; a disabled service is not judged', () => {
    const project = load(
      {
        'c.yml': 'include: [net.yml]\nservices:\n  a:\n    image: x\n    networks: [front]\n    secrets: [s]\n  off:\n    image: x\n    profiles: [debug]\n    networks: [nowhere]\n',
        'net.yml': 'networks:\n  front: {}\n',
        'o.yml': 'secrets:\n  s: { external: true }\n',
      },
      ['c.yml', 'o.yml'],
    );
    expect(undefinedOnes(project)).toEqual([]);
  });
});
