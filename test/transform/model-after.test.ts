/** modelAfterPlan on its own: the model render leaves, computed from the plan, the input model untouched. */
import { describe, expect, it } from 'vitest';
import { loadPolicyObject } from '../../src/policies/load.js';
import { modelAfterPlan, wantedPlacements } from '../../src/transform/model-after.js';
import { planVolumes } from '../../src/transform/plan.js';

const policy = loadPolicyObject({
  version: 1,
  classes: { pinned: { driver: 'rexray/ebs', driver_opts: { size: '10' }, labels: { tier: 'gold' }, placement: ['node.labels.zone == a'] } },
});

describe('modelAfterPlan', () => {
  it('sets the driver, options and labels of each managed volume and adds its placement to the services that mount it', () => {
    const model = {
      services: { app: { image: 'x', volumes: ['data:/d'], deploy: { placement: { constraints: ['node.role == worker'] } } }, other: { image: 'y' } },
      volumes: { data: { 'x-voldriver': 'pinned', labels: ['keep=1'] }, free: {} },
    };
    const before = JSON.stringify(model);
    const { plans } = planVolumes(model, policy);
    const after = modelAfterPlan(model, plans) as { services: Record<string, unknown>; volumes: Record<string, unknown> };
    expect(after.volumes.data).toEqual({
      'x-voldriver': 'pinned',
      driver: 'rexray/ebs',
      driver_opts: { size: '10' },
      labels: ['keep=1', 'tier=gold', 'com.compose-voldriver.class=pinned'],
    });
    expect(after.volumes.free).toEqual({});
    expect(after.services.app).toMatchObject({ deploy: { placement: { constraints: ['node.role == worker', 'node.labels.zone == a'] } } });
    expect(after.services.other).toEqual({ image: 'y' });
    expect(wantedPlacements(plans).get('app')).toEqual(['node.labels.zone == a']);
    expect(JSON.stringify(model)).toBe(before);
  });

  it('leaves a model whose volumes or services are not mappings as it is, for validation to report', () => {
    const model = { services: [], volumes: {} };
    expect(modelAfterPlan(model, [])).toBe(model);
  });
});
