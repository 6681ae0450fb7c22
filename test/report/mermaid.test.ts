/** The Mermaid diagram: read by Mermaid's own parser, and it draws what the plans say. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderStack, type VolumePlan } from '../../src/index.js';
import { main } from '../../src/cli/program.js';
import { mermaidDiagram, mermaidLabel } from '../../src/report/mermaid.js';
import { testIO } from '../helpers/io.js';
import { mermaidParse } from '../helpers/mermaid.js';

const stack = (env: string) =>
  renderStack({ files: ['examples/stack.yml'], policy: 'examples/voldriver.example.yml', environment: env, parameters: { zone: 'eu-west-1a', nfs_server: '10.0.0.2' } });

/** Edges as label -> label, read back from the diagram text. */
function edges(text: string): string[] {
  const labels = new Map<string, string>();
  for (const match of text.matchAll(/^\s+(g\d+[a-z]\d+)[[({/]+"([^"]*)"/gm)) labels.set(match[1], match[2]);
  return [...text.matchAll(/^\s+(\S+) --> (\S+)$/gm)].map(([, a, b]) => `${labels.get(a)} -> ${labels.get(b)}`);
}

describe('mermaidDiagram', () => {
  it('is a flowchart Mermaid parses, with services -> volumes -> classes -> drivers', async () => {
    const aws = stack('aws');
    const text = mermaidDiagram([{ title: 'environment aws', plans: aws.plans, findings: aws.findings }]);
    expect(await mermaidParse(text)).toEqual({ type: 'flowchart-v2' });
    expect(edges(text).sort()).toEqual(
      [
        'db -> pgdata', 'pgdata -> durable', 'durable -> rexray/ebs',
        'web -> media', 'app -> media', 'media -> shared', 'shared -> rexray/efs',
        'web -> cache', 'cache -> fast', 'fast -> rexray/ebs',
      ].sort(),
    );
    expect(text).toContain('subgraph g0["environment aws"]');
  });

  it('marks a volume by its worst finding', () => {
    const aws = stack('aws');
    const text = mermaidDiagram([{ title: 'aws', plans: aws.plans, findings: aws.findings }]);
    const cache = text.match(/(g0v\d+)\[\("cache"\)\]/)![1];
    expect(text).toMatch(new RegExp(`^  class ${cache} error$`, 'm'));
    const onprem = stack('onprem');
    const other = mermaidDiagram([{ title: 'onprem', plans: onprem.plans, findings: onprem.findings }]);
    const cache2 = other.match(/(g0v\d+)\[\("cache"\)\]/)![1];
    expect(other).toMatch(new RegExp(`^  class ${cache2} warning$`, 'm'));
    expect(other).not.toMatch(/ error$/m);
  });

  it('puts several environments side by side, each in its own box with its own nodes', async () => {
    const sections = ['aws', 'onprem'].map((env) => ({ title: env, ...stack(env) }));
    const text = mermaidDiagram(sections);
    expect(await mermaidParse(text)).toEqual({ type: 'flowchart-v2' });
    expect(text.match(/^  subgraph /gm)).toHaveLength(2);
    // Boxes stand side by side in a top-to-bottom chart, each read left to right; the layout puts the last
    // declared leftmost, so the first environment is declared last.
    expect(text.startsWith('flowchart TB\n')).toBe(true);
    expect(text.match(/^    direction LR$/gm)).toHaveLength(2);
    expect(text.indexOf('subgraph g1["onprem"]')).toBeLessThan(text.indexOf('subgraph g0["aws"]'));
    expect(edges(text)).toContain('durable -> pxd');
    expect(edges(text)).toContain('durable -> rexray/ebs');
  });

  it('keeps labels with quotes, brackets, #, backticks and markup readable to the parser', async () => {
    const odd = 'we"ird [vol] {x} (y) #1 `z` <b>&amp; -->';
    const plan = { volume: odd, class: 'c"l', driver: 'my/driv"er:1', external: false, services: ['svc "a"', 'end'], driver_opts: {} } as unknown as VolumePlan;
    const text = mermaidDiagram([{ title: 'title "quoted" ]', plans: [plan], findings: [] }]);
    expect(await mermaidParse(text)).toEqual({ type: 'flowchart-v2' });
    expect(mermaidLabel(odd)).toBe('we#quot;ird [vol] {x} (y) #35;1 #96;z#96; #lt;b#gt;&amp; --#gt;');
  });

  it('a broken diagram is refused by the parser (the check is real)', async () => {
    const result = await mermaidParse('flowchart LR\n  a["x"y"] --> b\n');
    expect(result.error).toMatch(/Parse error/);
  });

  it('draws a volume without a class straight to its driver, and an external one as such', () => {
    const plans = [
      { volume: 'logs', driver: undefined, external: false, services: ['web'], driver_opts: {} },
      { volume: 'shared', driver: 'nfs', external: true, services: [], driver_opts: {} },
    ] as unknown as VolumePlan[];
    const text = mermaidDiagram([{ title: 't', plans, findings: [] }]);
    expect(edges(text)).toEqual(['web -> logs', 'logs -> local', 'shared (external) -> nfs']);
  });
});

describe('explain --format mermaid', () => {
  it('draws the environments asked for side by side, in their order', async () => {
    const io = testIO();
    const code = await main(['explain', '-f', 'examples/stack.yml', '--policy', 'examples/voldriver.example.yml', '--env', 'onprem', '--env', 'aws', '--set', 'nfs_server=n', '--set', 'zone=a', '--format', 'mermaid'], io);
    expect(code).toBe(1);
    expect(await mermaidParse(io.out)).toEqual({ type: 'flowchart-v2' });
    expect(io.out.match(/^  subgraph /gm)).toHaveLength(2);
    expect(io.out).toContain('subgraph g0["environment onprem"]');
    expect(io.out).toContain('subgraph g1["environment aws"]');
    expect(edges(io.out)).toEqual(expect.arrayContaining(['durable -> pxd', 'durable -> rexray/ebs']));
  });

  it('prints the diagram for the chosen environment', async () => {
    const io = testIO();
    const code = await main(['explain', '-f', 'examples/stack.yml', '--policy', 'examples/voldriver.example.yml', '--env', 'onprem', '--set', 'nfs_server=n', '--format', 'mermaid'], io);
    expect(code).toBe(0);
    expect(await mermaidParse(io.out)).toEqual({ type: 'flowchart-v2' });
    expect(io.out).toContain('subgraph g0["environment onprem"]');
    expect(edges(io.out)).toContain('durable -> pxd');
  });

  it("says on stderr when the diagram is past what Mermaid draws by default, which GitHub keeps", async () => {
    const explain = async (volumes: number) => {
      const sources = [{ name: 'compose.yml', text: `services:\n  app:\n    image: nginx\n    volumes: [${Array.from({ length: volumes }, (_, i) => `v${i}:/d${i}`).join(', ')}]\nvolumes:\n${Array.from({ length: volumes }, (_, i) => `  v${i}: { x-voldriver: durable }\n`).join('')}` }];
      const dir = mkdtempSync(join(tmpdir(), 'cv-mermaid-'));
      writeFileSync(join(dir, 'compose.yml'), sources[0].text);
      const io = testIO();
      expect(await main(['explain', '-f', join(dir, 'compose.yml'), '--format', 'mermaid'], io)).toBe(0);
      return io;
    };
    // Two links per volume (service -> volume -> class) and one class -> driver: 249 volumes are 499 links.
    const fits = await explain(249);
    expect(await mermaidParse(fits.out)).toEqual({ type: 'flowchart-v2' });
    expect(fits.err).toBe('');
    const over = await explain(250);
    expect((await mermaidParse(over.out)).error).toMatch(/Edge limit exceeded/);
    expect(over.err).toBe('warning: the diagram has 501 links (Mermaid draws at most 500): GitHub and Mermaid with its default settings show an error instead of it; explain fewer environments or a smaller stack, or draw it with raised maxEdges and maxTextSize (mermaid-cli --configFile)\n');
  });
});
