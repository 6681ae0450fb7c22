/** Writes the plan into the compose text, touching only the nodes the plan changes. */
import { someNames } from '../suggest.js';
import { hasOwn, own, setOwn } from '../own.js';
import { isAlias, isMap, isScalar, isSeq, Scalar, type Node, type Pair, type YAMLMap, type YAMLSeq } from 'yaml';
import type { DocPath, Finding } from '../findings.js';
import { nodePlain, type SourceFile } from '../compose/load.js';
import { labelKey, parseLabel } from '../compose/labels.js';
import { keyName } from '../compose/locate.js';
import { sameConstraint, staleConstraint, staleLabels, staleName } from './owned.js';
import { holdsReferences, isBlockMap, TextEditor, type NewValue } from './text-editor.js';
import type { VolumePlan } from '../plan/volume-plan.js';

export interface Edit {
  path: DocPath;
  before?: unknown;
  after: unknown;
  why: string;
}

export interface ApplyResult {
  text: string;
  edits: Edit[];
  findings: Finding[];
}

type AnyPair = Pair<Node, Node | null>;

/** What render writes into one service's placement: the constraints it adds, and the templates of those it owns. */
interface Placement {
  constraints: string[];
  owned: string[];
  volumes: string[];
  /** The service's own constraints, which match a template only by chance. */
  user: string[];
}

function ownPair(map: YAMLMap, key: string): AnyPair | undefined {
  return map.items.find((pair) => keyName(pair.key) === key) as AnyPair | undefined;
}

/** Entries of a large map by key, built once: looking each volume up by scanning would be quadratic. */
function pairIndex(map: unknown): Map<string, AnyPair> {
  const index = new Map<string, AnyPair>();
  if (!isMap(map)) return index;
  for (const pair of map.items as AnyPair[]) {
    const key = keyName(pair.key);
    if (key !== undefined && !index.has(key)) index.set(key, pair);
  }
  return index;
}

/**
 * Whether editing a volume's definition would reach into shared YAML. A block map may merge an anchor with `<<`:
 * render only adds or changes the map's own keys, which override merged ones and leave the anchor alone. But the
 * map itself, or the values render edits in it, must not be anchors or aliases, and a definition written anew
 * (flow or empty) must hold none.
 */
function sharedVolumeNode(value: unknown): boolean {
  if (!isBlockMap(value)) return holdsReferences(value);
  if ((value as { anchor?: string }).anchor) return true;
  return ['driver', 'driver_opts', 'labels', 'name'].some((key) => holdsReferences(ownPair(value, key)?.value));
}

/** The value a `<<` merge key gives `key` in a map that does not set it itself. */
function mergedIn(src: SourceFile, map: YAMLMap, key: string): unknown {
  const merge = ownPair(map, '<<');
  if (!merge) return undefined;
  const merged = nodePlain(src.doc, merge.value);
  for (const source of Array.isArray(merged) ? merged : [merged]) {
    if (source && typeof source === 'object' && Object.hasOwn(source, key)) return (source as Record<string, unknown>)[key];
  }
  return undefined;
}

function viaMergeKey(map: YAMLMap): boolean {
  return map.items.some((pair) => keyName(pair.key) === '<<');
}

function isQuotedString(node: unknown): boolean {
  return isScalar(node) && typeof node.value === 'string' && (node.type === Scalar.QUOTE_DOUBLE || node.type === Scalar.QUOTE_SINGLE);
}

export function applyPlan(src: SourceFile, plans: readonly VolumePlan[]): ApplyResult {
  const editor = new TextEditor(src);
  const edits: Edit[] = [];
  const findings: Finding[] = [];
  const root = src.doc.contents as YAMLMap;
  const refuse = (path: DocPath, message: string, volume?: string) =>
    findings.push({
      code: 'shared-yaml-node',
      severity: 'error',
      message,
      hint: 'move the value out of the anchor, or render with --resolve to write a resolved file',
      volume,
      path,
    });
  const refuseFlow = (path: DocPath, what: string, volume?: string) =>
    findings.push({
      code: 'flow-style-section',
      severity: 'error',
      message: `${what} is written in flow style ({ ... }) and render edits it in place only in block style`,
      hint: 'write it in block style (one key per line), or render with --resolve to write a resolved file',
      volume,
      path,
    });

  const refuseMerged = (path: DocPath, what: string, section: string, volume?: string) =>
    findings.push({
      code: 'shared-yaml-node',
      severity: 'error',
      message: `${what} comes into the top-level ${section} mapping through a "<<" merge key; render cannot edit it there without changing the anchor's other users`,
      hint: `write ${what.split(' ')[0]} "${path[1]}" out under ${section}: as its own key, or render with --resolve to write a resolved file`,
      volume,
      path: [section],
    });
  const refuseExplicit = (path: DocPath, what: string, volume?: string) =>
    findings.push({
      code: 'explicit-yaml-key',
      severity: 'error',
      message: `${what} is written with an explicit key ("? key", its value after a ":" on a later line), which render does not edit in place`,
      hint: 'write it as "key: value", or render with --resolve to write a resolved file',
      volume,
      path,
    });
  const volumesPair = ownPair(root, 'volumes');
  const volumesNode = volumesPair?.value;
  const volumes = pairIndex(volumesNode);
  const written = plans.filter((plan) => plan.managed).map(forText);
  for (const plan of written) {
    const path: DocPath = ['volumes', plan.volume];
    const pair = volumes.get(plan.volume);
    if (!pair) {
      if (isMap(volumesNode) && viaMergeKey(volumesNode)) refuseMerged(path, `volume "${plan.volume}"`, 'volumes', plan.volume);
      continue;
    }
    if (isMap(volumesNode) && volumesNode.flow) {
      refuseFlow(path, 'the top-level volumes mapping', plan.volume);
      continue;
    }
    if (editor.isExplicitKey(volumesPair?.key) || editor.holdsExplicitKeys(pair)) {
      refuseExplicit(path, editor.isExplicitKey(volumesPair?.key) ? 'the top-level volumes mapping' : `volume "${plan.volume}"`, plan.volume);
      continue;
    }
    if (sharedVolumeNode(pair.value)) {
      refuse(
        path,
        `volume "${plan.volume}" is defined with a YAML anchor or alias that render would have to edit; that would change every other user of the anchor`,
        plan.volume,
      );
      continue;
    }
    updateVolume(editor, src, pair, plan, edits);
  }

  const placements = new Map<string, Placement>();
  for (const plan of written) {
    const owned = plan.owned?.placement ?? [];
    if (plan.placement.length === 0 && owned.length === 0) continue;
    for (const service of plan.services) {
      const entry = placements.get(service) ?? { constraints: [], owned: [], volumes: [], user: [] };
      if (entry.user.length === 0) entry.user.push(...(own(plan.owned?.userPlacement ?? {}, service) ?? []));
      for (const constraint of plan.placement) if (!entry.constraints.some((c) => sameConstraint(c, constraint))) entry.constraints.push(constraint);
      for (const template of owned) if (!entry.owned.includes(template)) entry.owned.push(template);
      if (plan.placement.length > 0) entry.volumes.push(plan.volume);
      placements.set(service, entry);
    }
  }
  if (placements.size === 0) return { text: editor.changed ? editor.result() : src.text, edits, findings };
  const servicesPair = ownPair(root, 'services');
  const servicesNode = servicesPair?.value;
  const services = pairIndex(servicesNode);
  for (const [service, placement] of placements) {
    const servicePair = services.get(service);
    if (!servicePair) {
      if (isMap(servicesNode) && viaMergeKey(servicesNode) && placement.constraints.length > 0) refuseMerged(['services', service], `service "${service}"`, 'services');
      continue;
    }
    const { volumes } = placement;
    const why = volumes.length > 0 ? `placement of class for volume${volumes.length > 1 ? 's' : ''} ${someNames(volumes, 10)}` : 'placement an earlier render added';
    if (isMap(servicesNode) && servicesNode.flow) {
      if (placement.constraints.length > 0) refuseFlow(['services', service], 'the top-level services mapping');
      continue;
    }
    if (editor.isExplicitKey(servicesPair?.key) || editor.holdsExplicitKeys(servicePair)) {
      if (placement.constraints.length > 0 || hasConstraints(src, servicePair)) {
        refuseExplicit(['services', service], editor.isExplicitKey(servicesPair?.key) ? 'the top-level services mapping' : `service "${service}"`);
      }
      continue;
    }
    syncConstraints(editor, src, servicePair, ['services', service], placement, why, edits, refuse);
  }
  return { text: editor.changed ? editor.result() : src.text, edits, findings };
}

/** Whether a service sets placement constraints, which a render for another environment may have to take away. */
function hasConstraints(src: SourceFile, servicePair: AnyPair): boolean {
  const service = nodePlain(src.doc, servicePair.value) as { deploy?: { placement?: { constraints?: unknown } } } | null;
  const constraints = service?.deploy?.placement?.constraints;
  return Array.isArray(constraints) && constraints.length > 0;
}

/**
 * The plan as it is written into a file that Compose interpolates again: every `$` doubled, so a value such as
 * `pa$word` is read back as itself.
 */
function forText(plan: VolumePlan): VolumePlan {
  const values = [plan.driver ?? '', plan.name ?? '', ...plan.placement, ...Object.values(plan.driver_opts), ...Object.values(plan.labels)];
  if (!values.some((value) => value.includes('$'))) return plan;
  const esc = (text: string) => text.replace(/\$/g, '$$$$');
  const escMap = (map: Record<string, string>) => Object.fromEntries(Object.entries(map).map(([k, v]) => [k, esc(v)]));
  return {
    ...plan,
    driver: plan.driver === undefined ? undefined : esc(plan.driver),
    driver_opts: escMap(plan.driver_opts),
    labels: escMap(plan.labels),
    name: plan.name === undefined ? undefined : esc(plan.name),
    placement: plan.placement.map(esc),
  };
}

function labelsAsMap(value: unknown): Record<string, NewValue> {
  if (Array.isArray(value)) {
    const out: Record<string, NewValue> = {};
    for (const entry of value) {
      const [key, label] = parseLabel(entry);
      setOwn(out, key, label);
    }
    return out;
  }
  return { ...((value as Record<string, NewValue>) ?? {}) };
}

function updateVolume(editor: TextEditor, src: SourceFile, pair: AnyPair, plan: VolumePlan, edits: Edit[]): void {
  const path: DocPath = ['volumes', plan.volume];
  const why = `class ${plan.class}`;
  const value = pair.value;
  if (!isBlockMap(value)) {
    // Empty, null or flow-style definition: write the whole definition as a block.
    const existing = (nodePlain(src.doc, value) ?? {}) as Record<string, NewValue>;
    const content: Record<string, NewValue> = { ...existing, driver: plan.driver! };
    delete content.driver_opts;
    if (Object.keys(plan.driver_opts).length > 0) content.driver_opts = { ...plan.driver_opts };
    const labels = labelsAsMap(existing.labels);
    for (const key of staleLabels(plan.owned, plan.labels, Object.keys(labels))) delete labels[key];
    content.labels = { ...labels, ...plan.labels };
    if (plan.name !== undefined) content.name = plan.name;
    else if (staleName(plan.owned, plan.name, existing.name)) delete content.name;
    editor.replaceWithBlock(pair, content);
    edits.push({ path, before: existing, after: content, why });
    return;
  }
  const append: [string, NewValue][] = [];
  const removed = new Set<unknown>();

  setString(editor, src, value, 'driver', plan.driver!, append, edits, [...path, 'driver'], why);

  syncOptions(editor, src, value, plan, append, removed, edits, why);

  const labelsPair = ownPair(value, 'labels');
  // An own key hides one merged in with `<<`: labels it would hide are written into it.
  if (!labelsPair) append.push(['labels', { ...labelsAsMap(mergedIn(src, value, 'labels')), ...plan.labels }]);
  else mergeLabels(editor, src, labelsPair, plan, [...path, 'labels'], edits, why);
  if (!labelsPair) edits.push({ path: [...path, 'labels'], after: plan.labels, why });

  if (plan.name !== undefined) setString(editor, src, value, 'name', plan.name, append, edits, [...path, 'name'], why);
  const namePair = ownPair(value, 'name');
  if (namePair && staleName(plan.owned, plan.name, nodePlain(src.doc, namePair.value))) {
    editor.removePair(namePair);
    removed.add(namePair);
    edits.push({ path: [...path, 'name'], before: nodePlain(src.doc, namePair.value), after: undefined, why: `${why}: no name in this environment` });
  }
  editor.appendToMap(value, append, removed);
}

/** Make `map.key` the string `wanted`, quoted; queue it for appending when the key is missing. */
function setString(
  editor: TextEditor,
  src: SourceFile,
  map: YAMLMap,
  key: string,
  wanted: string,
  append: [string, NewValue][],
  edits: Edit[],
  path: DocPath,
  why: string,
): void {
  const pair = ownPair(map, key);
  if (!pair) append.push([key, wanted]);
  else if (!isQuotedString(pair.value) || String((pair.value as Scalar).value) !== wanted) editor.setValue(pair, wanted);
  const before = nodePlain(src.doc, pair?.value);
  if (before !== wanted) edits.push({ path, before, after: wanted, why });
}

function syncOptions(
  editor: TextEditor,
  src: SourceFile,
  volume: YAMLMap,
  plan: VolumePlan,
  append: [string, NewValue][],
  removed: Set<unknown>,
  edits: Edit[],
  why: string,
): void {
  const path: DocPath = ['volumes', plan.volume, 'driver_opts'];
  const wanted = plan.driver_opts;
  const optsPair = ownPair(volume, 'driver_opts');
  const before = nodePlain(src.doc, optsPair?.value) as Record<string, unknown> | undefined;
  const same =
    before !== undefined &&
    before !== null &&
    Object.keys(before).length === Object.keys(wanted).length &&
    Object.entries(wanted).every(([k, v]) => before[k] === v);
  if (!optsPair) {
    if (Object.keys(wanted).length > 0) {
      // Options go right after the driver they are for; when render writes the driver too, it is appended first.
      const driverPair = ownPair(volume, 'driver');
      if (driverPair) editor.appendToMap(volume, [['driver_opts', { ...wanted }]], new Set(), driverPair);
      else append.push(['driver_opts', { ...wanted }]);
      edits.push({ path, after: wanted, why });
    } else if (mergedIn(src, volume, 'driver_opts') !== undefined) {
      // Options merged in with `<<` would stay: an empty own mapping hides them.
      append.push(['driver_opts', {}]);
      edits.push({ path, after: {}, why: `${why}: driver ${plan.driver} takes no options here` });
    }
    return;
  }
  if (Object.keys(wanted).length === 0) {
    if (mergedIn(src, volume, 'driver_opts') !== undefined) {
      // The own mapping hides options merged in with `<<`: keep it, empty.
      if (!same) editor.replaceWithBlock(optsPair, {});
      if (!same) edits.push({ path, before, after: {}, why });
      return;
    }
    editor.removePair(optsPair);
    removed.add(optsPair);
    edits.push({ path, before, after: undefined, why: `${why}: driver ${plan.driver} takes no options here` });
    return;
  }
  const map = optsPair.value;
  // Options the class does not set are dropped: then the block is written anew, since a removed last entry and
  // appended ones would meet at the same offset.
  const dropsKeys = isBlockMap(map) && (map.items as AnyPair[]).some((item) => !hasOwn(wanted, keyName(item.key)!));
  if (!isBlockMap(map) || dropsKeys) {
    if (!same || !isMap(map)) editor.replaceWithBlock(optsPair, { ...wanted });
    if (!same) edits.push({ path, before, after: wanted, why });
    return;
  }
  const missing: [string, NewValue][] = [];
  for (const [key, text] of Object.entries(wanted)) {
    const existing = ownPair(map, key);
    if (!existing) missing.push([key, text]);
    else if (!isQuotedString(existing.value) || String((existing.value as Scalar).value) !== text) editor.setValue(existing, text);
  }
  editor.appendToMap(map, missing);
  if (!same) edits.push({ path, before, after: wanted, why });
}

function mergeLabels(editor: TextEditor, src: SourceFile, pair: AnyPair, plan: VolumePlan, path: DocPath, edits: Edit[], why: string): void {
  const value = pair.value;
  const before = labelsAsMap(nodePlain(src.doc, value));
  const changed = Object.entries(plan.labels).filter(([k, v]) => before[k] !== v);
  const stale = staleLabels(plan.owned, plan.labels, Object.keys(before));
  if (changed.length === 0 && stale.size === 0) return;
  const kept = Object.fromEntries(Object.entries(before).filter(([key]) => !stale.has(key)));
  edits.push({ path, before, after: { ...kept, ...plan.labels }, why });
  const keyOf = (node: unknown) => labelKey(isScalar(node) ? node.value : '');
  if (isBlockMap(value)) {
    const missing: [string, NewValue][] = [];
    const removed = new Set<unknown>();
    const remove = (item: AnyPair) => {
      editor.removePair(item);
      removed.add(item);
    };
    // The labels an earlier render wrote, in the order it wrote them: when that is not the order of the new
    // mapping's labels, they are written again, so the file is what rendering its source gives.
    const written = (value.items as AnyPair[]).filter((item) => plan.owned?.labels.includes(keyName(item.key)!) || (plan.owned && Object.hasOwn(plan.labels, keyName(item.key)!)));
    const keys = written.map((item) => keyName(item.key)!).filter((key) => !stale.has(key));
    if (plan.owned && keys.join('\n') !== Object.keys(plan.labels).join('\n')) {
      written.forEach(remove);
      editor.appendToMap(value, Object.entries(plan.labels), removed);
      return;
    }
    for (const item of value.items as AnyPair[]) if (stale.has(keyName(item.key)!)) remove(item);
    for (const [key, text] of changed) {
      const existing = ownPair(value, key);
      if (existing) editor.setValue(existing, text);
      else missing.push([key, text]);
    }
    editor.appendToMap(value, missing, removed);
  } else if (isSeq(value) && !value.flow && value.items.length > 0 && value.items.some((item) => !stale.has(keyOf(item)))) {
    const fresh: string[] = [];
    for (const item of value.items) if (stale.has(keyOf(item))) editor.removeSeqItem(item as Node);
    for (const [key, text] of changed) {
      const item = value.items.find((node) => keyOf(node) === key) as Node | undefined;
      if (item) editor.setScalar(item, `${key}=${text}`);
      else fresh.push(`${key}=${text}`);
    }
    const lastKept = [...value.items].reverse().find((item) => !stale.has(keyOf(item))) as Node;
    editor.appendToSeq(value, fresh, lastKept);
  } else {
    editor.replaceWithBlock(pair, { ...kept, ...plan.labels });
  }
}

function syncConstraints(
  editor: TextEditor,
  src: SourceFile,
  servicePair: AnyPair,
  path: DocPath,
  placement: Placement,
  why: string,
  edits: Edit[],
  refuse: (path: DocPath, message: string) => void,
): void {
  const { constraints } = placement;
  const steps = ['deploy', 'placement', 'constraints'];
  let pair: AnyPair = servicePair;
  const chain: { pair: AnyPair; parent: unknown }[] = [];
  for (let depth = 0; depth < steps.length; depth++) {
    const node = pair.value;
    const here = [...path, ...steps.slice(0, depth)];
    const rest = steps.slice(depth);
    // A section merged in with `<<` (the document is read without merge keys applied): an own key would hide all of it.
    const inherited = isMap(node) && viaMergeKey(node) && !ownPair(node, rest[0]) && mergedIn(src, node, rest[0]) !== undefined;
    // Only removing: nothing to do where there is no list yet, nor in shared YAML, which render never wrote into.
    if (constraints.length === 0 && (!isMap(node) || !ownPair(node, rest[0]))) return;
    // A map written anew must hold no references; one that keeps its text must only not be anchored itself.
    const shared = isAlias(node) || inherited || (node as { anchor?: string } | null)?.anchor || (!isBlockMap(node) && holdsReferences(node));
    if (shared) {
      if (constraints.length > 0 && inherited) {
        refuse(here, `cannot add placement constraints to ${here.join('.')}: its ${rest[0]} comes through a "<<" merge key, and an own ${rest[0]}: would hide everything the anchor gives it`);
      } else if (constraints.length > 0) refuse(here, `cannot add placement constraints to ${here.join('.')}: it is a YAML alias, anchor or merge key shared with other services`);
      return;
    }
    const nested = (): NewValue => rest.slice(1).reduceRight<NewValue>((inner, key) => ({ [key]: inner }), [...constraints]);
    // A one-line flow mapping (`deploy: {replicas: 2}`) is edited in its own style; any other is written anew.
    const flow = editor.isOneLineFlowMap(node);
    if (!isBlockMap(node) && !flow) {
      if (isMap(node) && node.items.length > 0) {
        if (constraints.length === 0) return;
        const merged = { ...(nodePlain(src.doc, node) as Record<string, NewValue>) };
        merged[rest[0]] = mergeNested(merged[rest[0]], rest.slice(1), constraints);
        editor.replaceWithBlock(pair, merged);
      } else editor.replaceWithBlock(pair, { [rest[0]]: nested() });
      edits.push({ path: [...path, ...steps], after: constraints, why });
      return;
    }
    const map = node as YAMLMap;
    const next = ownPair(map, rest[0]);
    if (!next) {
      if (flow) editor.appendToFlowMap(map, [[rest[0], nested()]]);
      else editor.appendToMap(map, [[rest[0], nested()]]);
      edits.push({ path: [...path, ...steps], after: constraints, why });
      return;
    }
    chain.push({ pair: next, parent: node });
    pair = next;
  }
  const list = pair.value;
  // A list inside a flow mapping is written in flow style, and one render emptied there goes with its sections.
  const inFlow = chain.length > 0 && isMap(chain[chain.length - 1].parent) && (chain[chain.length - 1].parent as YAMLMap).flow === true;
  const rewrite = (value: NewValue[]) => (inFlow ? editor.setFlowValue(pair, value) : editor.replaceWithBlock(pair, value));
  const written = nodePlain(src.doc, list);
  // Not a list (`constraints: node.role == worker`): the schema reports it, and a run with errors writes nothing.
  if (written !== null && written !== undefined && !Array.isArray(written)) return;
  const existing = (written as unknown[] | null) ?? [];
  const stale = new Set(existing.flatMap((e, i) => (staleConstraint(e, placement.owned, constraints, placement.user) ? [i] : [])));
  const kept = existing.filter((_, i) => !stale.has(i));
  const fresh = constraints.filter((c) => !kept.some((e) => typeof e === 'string' && sameConstraint(e, c)));
  if (fresh.length === 0 && stale.size === 0) return;
  if (isSeq(list) && list.anchor) {
    refuse([...path, ...steps], `cannot add placement constraints to ${[...path, ...steps].join('.')}: the list carries a YAML anchor shared with other services`);
    return;
  }
  edits.push({ path: [...path, ...steps], before: existing, after: [...kept, ...fresh], why });
  if (stale.size === 0) {
    const appended = isSeq(list) && (list.flow || list.items.length > 0) && editor.appendToSeq(list, fresh);
    if (!appended) rewrite([...(existing as NewValue[]), ...fresh]);
    return;
  }
  const items = (list as YAMLSeq).items as Node[];
  if (inFlow && kept.length === 0 && fresh.length === 0) {
    removeEmptied(editor, chain);
    return;
  }
  if (isSeq(list) && list.flow && editor.removeFlowItems(list, [...stale].map((i) => items[i]), fresh)) return;
  if (kept.length === 0 && fresh.length === 0) {
    removeEmptied(editor, chain);
    return;
  }
  if (isSeq(list) && !list.flow && kept.length > 0) {
    for (const i of stale) editor.removeSeqItem(items[i]);
    editor.appendToSeq(list, fresh, items.filter((_, i) => !stale.has(i)).at(-1));
    return;
  }
  rewrite([...(kept as NewValue[]), ...fresh]);
}

/**
 * A constraints list render emptied goes, and with it the placement and deploy sections that held nothing else:
 * the file is as it was before render added them.
 */
function removeEmptied(editor: TextEditor, chain: { pair: AnyPair; parent: unknown }[]): void {
  const editable = (parent: unknown) => isBlockMap(parent) || editor.isOneLineFlowMap(parent);
  let at = chain.length - 1;
  while (at > 0 && editable(chain[at].parent) && (chain[at].parent as YAMLMap).items.length === 1) at--;
  const { pair, parent } = chain[at];
  if (isBlockMap(parent)) editor.removePair(pair);
  else if (editor.isOneLineFlowMap(parent)) editor.removeFlowEntry(parent, pair);
}

function mergeNested(current: NewValue | undefined, keys: string[], constraints: string[]): NewValue {
  if (keys.length === 0) {
    const list = Array.isArray(current) ? [...current] : [];
    for (const c of constraints) if (!list.some((e) => typeof e === 'string' && sameConstraint(e, c))) list.push(c);
    return list;
  }
  const map = current && typeof current === 'object' && !Array.isArray(current) ? { ...current } : {};
  map[keys[0]] = mergeNested(map[keys[0]], keys.slice(1), constraints);
  return map;
}
