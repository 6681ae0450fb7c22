/** What an earlier render wrote, recognised by the policy's templates; what the user wrote never is. */
import { describe, expect, it } from 'vitest';
import { fromTemplate, staleConstraint, staleLabels, staleName, userWritten } from '../src/transform/owned.js';
import { parseYamlSource } from '../src/compose/load.js';

describe('fromTemplate', () => {
  it('matches what a template gives for any placeholder values, spacing aside', () => {
    expect(fromTemplate('node.labels.zone == eu-west-1a', 'node.labels.zone == {zone}')).toBe(true);
    expect(fromTemplate('node.labels.zone==us-east-1b', 'node.labels.zone == {zone}')).toBe(true);
    expect(fromTemplate('pgdata-ebs', '{volume}-ebs')).toBe(true);
    expect(fromTemplate('data-{{.Task.Slot}}', '{volume}-{{ .Task.Slot }}')).toBe(true);
    expect(fromTemplate('node.labels.rack == r1', 'node.labels.rack == ${RACK:-r0}')).toBe(true);
  });

  it('does not match other text', () => {
    expect(fromTemplate('node.role == worker', 'node.labels.zone == {zone}')).toBe(false);
    expect(fromTemplate('pgdata-v2', '{volume}-ebs')).toBe(false);
    expect(fromTemplate('node.labels.zone != a', 'node.labels.zone == {zone}')).toBe(false);
    expect(fromTemplate('a.b', 'a*b')).toBe(false);
  });
});

describe('stale entries', () => {
  const owned = { labels: ['backup', 'zone', 'com.compose-voldriver.class'], names: ['{volume}-ebs'], placement: ['node.labels.zone == {zone}'] };

  it('are those the new mapping does not give', () => {
    expect(staleConstraint('node.labels.zone == a', owned.placement, [])).toBe(true);
    expect(staleConstraint('node.labels.zone == a', owned.placement, ['node.labels.zone==a'])).toBe(false);
    expect(staleConstraint('node.role == worker', owned.placement, [])).toBe(false);
    expect([...staleLabels(owned, { backup: 'weekly', 'com.compose-voldriver.class': 'durable' }, ['owner', 'backup', 'zone'])]).toEqual(['zone']);
    expect(staleName(owned, undefined, 'pgdata-ebs')).toBe(true);
    expect(staleName(owned, undefined, 'legacy-pgdata')).toBe(false);
  });

  it('are none for a volume never rendered', () => {
    expect([...staleLabels(undefined, {}, ['backup'])]).toEqual([]);
    expect(staleName(undefined, undefined, 'pgdata-ebs')).toBe(false);
  });
});

describe('what the user wrote', () => {
  it('is every name and constraint written unquoted or single-quoted: render writes its own double-quoted', () => {
    const text = [
      'services:',
      '  db:',
      '    deploy:',
      '      placement:',
      '        constraints:',
      '          - node.labels.zone == eu1',
      "          - 'node.role == worker'",
      '          - "node.labels.zone == eu2"',
      'volumes:',
      '  legacy: { name: legacy_data }',
      '  rendered:',
      '    name: "rendered-v2"',
      '',
    ].join('\n');
    const user = userWritten([parseYamlSource(text, 'compose.yml')]);
    expect(user.constraints.db).toEqual(['node.labels.zone == eu1', 'node.role == worker']);
    expect(user.names).toEqual({ legacy: ['legacy_data'] });
  });

  it('is never stale, even where it matches a template of the class', () => {
    const owned = { labels: [], names: ['{name}'], placement: ['node.labels.zone == {zone}'], userNames: ['legacy_data'] };
    expect(staleConstraint('node.labels.zone == eu1', owned.placement, [], ['node.labels.zone==eu1'])).toBe(false);
    expect(staleConstraint('node.labels.zone == eu2', owned.placement, [], ['node.labels.zone==eu1'])).toBe(true);
    expect(staleName(owned, undefined, 'legacy_data')).toBe(false);
    expect(staleName(owned, undefined, 'other')).toBe(true);
  });
});
