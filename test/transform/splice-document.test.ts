import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { renderStack } from '../../src/index.js';
import { documentCopy, parseYamlSource } from '../../src/compose/load.js';
import { spliceDocument } from '../../src/transform/splice-document.js';
import { composeYamlOptions, loadProject, outputDocument } from '../../src/compose/project.js';
import { applyTarget, targetOutput } from '../../src/compose/target.js';
import { memoryIO } from '../helpers/memory-io.js';

/** Files of one folder, read from disk. */
const diskIO = (dir: string) => ({
  readFile: (name: string) => readFileSync(resolve(dir, name), 'utf8'),
  exists: (name: string) => existsSync(resolve(dir, name)),
});

/** The swarm render of one in-memory file, with no policy volume to change: only the target's changes remain. */
function forSwarm(text: string, files: Record<string, string> = {}) {
  return renderStack({
    sources: [{ name: 'compose.yml', text }, ...Object.entries(files).map(([name, content]) => ({ name, text: content }))],
    files: ['compose.yml'],
    policy: 'builtin:default',
    target: 'swarm',
  });
}

/** What the target makes of the file when written whole by the yaml library, for comparing values. */
function wholeDocument(text: string, files: Record<string, string> = {}): unknown {
  const project = loadProject({ files: ['compose.yml'], io: memoryIO({ 'compose.yml': text, ...files }) });
  return targetOutput(project, 'swarm').document.toJS();
}

describe('swarm target on one file: lines it does not change are written as they were', () => {
  it('keeps a flow sequence and trailing comments when it drops a version stack deploy refuses', () => {
    const text = 'version: "2"   # old\nservices:\n  cache:\n    image: redis:7\n    command: ["redis-server", "--appendonly", "yes"]  # AOF on\n';
    const { output } = forSwarm(text);
    expect(output).toBe('services:\n  cache:\n    image: redis:7\n    command: ["redis-server", "--appendonly", "yes"]  # AOF on\n');
  });

  it('changes a value where it is written, its comment and the spacing before it kept', () => {
    const text = 'services:\n  web:\n    image: nginx   # pinned\n    deploy:\n      replicas: "2"        # two\n      update_config: {parallelism: "1",   delay: 10s}\n';
    const { output } = forSwarm(text);
    expect(output).toBe('services:\n  web:\n    image: nginx   # pinned\n    deploy:\n      replicas: 2        # two\n      update_config: {parallelism: 1,   delay: 10s}\n');
  });

  it('writes a long-form depends_on as a list at its place, in the file\'s indentation, the comment on the key line kept', () => {
    const text =
      'services:\n    web:\n        image: nginx\n        depends_on:   # start order\n            db:\n                condition: service_healthy\n            cache: {condition: service_started}\n        ports: [ "80:80" ]\n    db:\n        image: postgres\n    cache:\n        image: redis\n';
    const { output } = forSwarm(text);
    expect(output).toBe(
      'services:\n    web:\n        image: nginx\n        depends_on:   # start order\n            - db\n            - cache\n        ports: [ "80:80" ]\n    db:\n        image: postgres\n    cache:\n        image: redis\n',
    );
  });

  it('removes the keys stack deploy refuses with their lines, and no double blank line is left', () => {
    const text = 'name: shop\n\nservices:\n  web:\n    image: nginx\n    mem_limit: 1g   # cap\n\n    cpus: 0.5\n\n  other:\n    image: x\n';
    const { output } = forSwarm(text);
    expect(output).toBe('services:\n  web:\n    image: nginx\n\n  other:\n    image: x\n');
  });

  it('leaves out a missing optional env file and writes the others as plain paths, keeping what is around them', () => {
    const text = 'services:\n  web:\n    image: nginx  # web\n    env_file:\n      - path: ./app.env\n      - path: ./local.env\n        required: false\n    command: [ "a" ]\n';
    const { output } = forSwarm(text, { 'app.env': 'A=1\n' });
    expect(output).toBe('services:\n  web:\n    image: nginx  # web\n    env_file:\n      - ./app.env\n    command: [ "a" ]\n');
  });

  it('bakes variables into the values that use them, and only those', () => {
    const text = 'services:\n  web:\n    image: nginx:${TAG:-1.27}   # tag\n    command: [ "serve",   "--port", "8080" ]\n    environment:\n      GREETING: hello $$USER\n';
    const { output } = forSwarm(text);
    expect(output).toBe('services:\n  web:\n    image: "nginx:1.27"   # tag\n    command: [ "serve",   "--port", "8080" ]\n    environment:\n      GREETING: hello $$USER\n');
  });

  it('applies !reset and drops !override', () => {
    const text = 'services:\n  web:\n    image: nginx\n    ports: !reset []\n    environment: !override\n      A: "1"   # one\n    labels: [a=b]\n';
    const { output } = forSwarm(text);
    expect(parse(output)).toEqual({ services: { web: { image: 'nginx', environment: { A: '1' }, labels: ['a=b'] } } });
    expect(output).toContain('    labels: [a=b]\n');
    expect(output).not.toContain('!');
  });

  it('keeps CRLF line endings and anchors', () => {
    const text = 'x-base: &base\r\n  image: nginx\r\n  deploy: {replicas: "2"}\r\nservices:\r\n  web:\r\n    <<: *base\r\n    command: ["a", "b"]\r\n';
    const { output } = forSwarm(text);
    expect(output).toBe('x-base: &base\r\n  image: nginx\r\n  deploy: {replicas: 2}\r\nservices:\r\n  web:\r\n    <<: *base\r\n    command: ["a", "b"]\r\n');
  });

  it('gives what the target makes when written whole, over files with every kind of change', () => {
    const cases: [string, Record<string, string>][] = [
      ['version: "3.9"\nservices:\n  a:\n    image: x\n    depends_on: {b: {condition: service_started}}\n  b: {image: y, mem_limit: 1g}\n', {}],
      ['services:\n  a:\n    - not a map\n', {}],
      ['services:\n  a:\n    image: x\n    tmpfs: /run\n    volumes:\n      - type: tmpfs\n        target: /t\n        tmpfs: {size: 10m}\n', {}],
      ['services:\n  a:\n    image: x\n    env_file:\n      - path: a.env\n        required: false\n', {}],
      ['services:\n  a:\n    image: "${IMG:-x}"\n    environment:\n      - B=$${HOME}\n    command: |\n      echo ${X:-y}\n', {}],
      ['services:\n  a: &a\n    image: x\n    ulimits: {nofile: "10"}\n  b:\n    <<: *a\n    platform: linux/amd64\n', {}],
    ];
    for (const [text, files] of cases) {
      const result = forSwarm(text, files);
      if (result.findings.some((f) => f.severity === 'error')) continue;
      expect(parse(result.output), text).toEqual(wholeDocument(text, files));
    }
  });
});

describe('spliceDocument', () => {
  const splice = (text: string, change: (doc: ReturnType<typeof parseYamlSource>['doc']) => void) => {
    const source = parseYamlSource(text, 'c.yml', composeYamlOptions);
    const copy = documentCopy(source);
    change(copy.doc);
    return spliceDocument(source, copy.doc);
  };

  it('gives up where a change cannot be placed: the whole document replaced, or a top-level mapping emptied', () => {
    expect(splice('a: 1\n', (doc) => (doc.contents = doc.createNode([1]) as never))).toBeUndefined();
    expect(splice('a: 1\n', (doc) => doc.delete('a'))).toBeUndefined();
  });

  it('removes the first entry of a mapping written on a sequence item\'s line by writing the item anew', () => {
    const text = 'list:\n  - a: 1\n    b: 2\n  - c\n';
    const out = splice(text, (doc) => (doc.getIn(['list', 0]) as { delete(k: string): void }).delete('a'));
    expect(out).toBe('list:\n  - b: 2\n  - c\n');
  });

  it('writes a scalar in place inside a flow collection, and the flow collection anew when an entry goes', () => {
    const text = 'm: {a: "1",  b: 2}   # c\n';
    expect(splice(text, (doc) => doc.setIn(['m', 'a'], 1))).toBe('m: {a: 1,  b: 2}   # c\n');
    expect(splice(text, (doc) => doc.deleteIn(['m', 'a']))).toBe('m: { b: 2 }   # c\n');
  });
});

describe('outputDocument and applyTarget are unchanged by splicing', () => {
  it('the target still adapts the document it is given', () => {
    const project = loadProject({ files: ['compose.yml'], io: memoryIO({ 'compose.yml': 'version: "2"\nservices:\n  a: {image: x}\n' }) });
    const document = outputDocument(project);
    applyTarget(document, project, 'swarm');
    expect(document.toJS()).toEqual({ services: { a: { image: 'x' } } });
  });
});

describe('spliceDocument over the compose corpus', () => {
  const files = ['fixtures/compose', 'fixtures/render', 'fixtures/checks', 'fixtures/adoption'].filter(existsSync).flatMap((root) =>
    readdirSync(root)
      .filter((name) => statSync(join(root, name)).isDirectory())
      .flatMap((name) => readdirSync(join(root, name)).filter((file) => /\.ya?ml$/.test(file) && !/^(expected|voldriver)/.test(file)).map((file) => join(root, name, file))),
  );

  it('writes every file the swarm target changes as edits that read back as the target\'s document', () => {
    let changed = 0;
    const whole: string[] = [];
    for (const path of files) {
      const dir = dirname(path);
      let project;
      try {
        project = loadProject({ files: [basename(path)], workingDir: dir, io: diskIO(dir) });
      } catch {
        continue;
      }
      // Compose files only: the folders also hold policies.
      if (project.mode !== 'patch' || !project.sources[0].doc.has('services')) continue;
      const copy = documentCopy(project.sources[0]);
      try {
        applyTarget(copy.doc, project, 'swarm');
      } catch {
        continue;
      }
      const text = spliceDocument(project.sources[0], copy.doc);
      if (text === project.sources[0].text) continue;
      changed++;
      if (text === undefined) {
        whole.push(path);
        continue;
      }
      expect(parse(text), path).toEqual(copy.doc.toJS());
    }
    expect(changed).toBeGreaterThanOrEqual(15);
    expect(whole).toEqual([]);
  });
});
