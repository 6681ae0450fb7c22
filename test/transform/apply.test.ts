/** applyPlan on its own: the plan written into the text, nothing else touched, every edit recorded. */
import { describe, expect, it } from 'vitest';
import { parseYamlSource } from '../../src/compose/load.js';
import { composeYamlOptions } from '../../src/compose/project.js';
import { loadPolicyObject } from '../../src/policies/load.js';
import { applyPlan } from '../../src/transform/apply.js';
import { planVolumes } from '../../src/transform/plan.js';
import { toPlain } from '../../src/compose/load.js';

const policy = loadPolicyObject({
  version: 1,
  classes: { shared: { driver: 'local', driver_opts: { type: 'nfs', o: 'addr=10.0.0.1' }, labels: { tier: 'gold' }, placement: ['node.role == worker'] } },
});

function apply(text: string) {
  const src = parseYamlSource(text, 'c.yml', composeYamlOptions);
  const { plans } = planVolumes(toPlain(parseYamlSource(text, 'c.yml', composeYamlOptions)) as Record<string, unknown>, policy);
  return applyPlan(src, plans);
}

describe('applyPlan', () => {
  it('adds driver, options and labels under the volume and the placement to its services, keeping comments and layout', () => {
    const text = '# stack\nservices:\n  app:   # the app\n    image: x\n    volumes: [data:/d]\nvolumes:\n  data:\n    x-voldriver: shared   # class\n';
    const result = apply(text);
    expect(result.findings).toEqual([]);
    expect(result.text).toBe(
      '# stack\nservices:\n  app:   # the app\n    image: x\n    volumes: [data:/d]\n    deploy:\n      placement:\n        constraints:\n          - "node.role == worker"\n' +
        'volumes:\n  data:\n    x-voldriver: shared   # class\n    driver: "local"\n    driver_opts:\n      type: "nfs"\n      o: "addr=10.0.0.1"\n    labels:\n      tier: "gold"\n      com.compose-voldriver.class: "shared"\n',
    );
    expect(result.edits.map((edit) => [edit.path.join('.'), edit.after])).toEqual(
      expect.arrayContaining([
        ['volumes.data.driver', 'local'],
        ['volumes.data.driver_opts', { type: 'nfs', o: 'addr=10.0.0.1' }],
      ]),
    );
  });

  it('changes nothing, byte for byte, when the file already says what the plan says', () => {
    const once = apply('services:\n  app:\n    image: x\n    volumes: [data:/d]\nvolumes:\n  data:\n    x-voldriver: shared\n').text;
    const again = apply(once);
    expect(again.text).toBe(once);
    expect(again.edits).toEqual([]);
  });

  it('refuses to edit a volume written as an alias of shared YAML, and says where', () => {
    const result = apply('x-v: &v\n  x-voldriver: shared\nservices:\n  app:\n    image: x\n    volumes: [data:/d]\nvolumes:\n  data: *v\n');
    expect(result.findings.map((f) => [f.code, f.severity, f.path])).toEqual([['shared-yaml-node', 'error', ['volumes', 'data']]]);
  });
});
