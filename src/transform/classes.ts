/**
 * What `init` does to a compose file: write `x-voldriver: CLASS  # why` on every named volume that has no class
 * (not external, no driver of its own), spliced into the source text so that every other byte stays as it was.
 */
import { isMap, isScalar, type Node, type Pair } from 'yaml';
import type { SourceFile } from '../compose/load.js';
import { asObject, namedVolumes, serviceMounts } from '../compose/mounts.js';
import type { Finding } from '../findings.js';
import { EXTENSION_KEY, resolveClass } from '../policies/resolve-class.js';
import type { Policy } from '../policies/types.js';
import { holdsReferences, isBlockMap, keyText, TextEditor } from './text-editor.js';

export interface ClassChoice {
  volume: string;
  class: string;
  /** The comment written after it: what made the rule match, or that it is the default. */
  because: string;
  /** Whether it was written (false: the file's layout did not allow it; a finding says why). */
  written: boolean;
}

export interface ClassesResult {
  output: string;
  choices: ClassChoice[];
  findings: Finding[];
}

type Obj = Record<string, unknown>;

/** The class a volume's x-voldriver names, if it names one. */
export function declaredClass(definition: Obj): string | undefined {
  const value = definition[EXTENSION_KEY];
  if (typeof value === 'string') return value;
  const named = asObject(value).class;
  return typeof named === 'string' ? named : undefined;
}

/** For every volume of `model` without a class, the class `policy` gives it and why. */
export function chooseClasses(model: Obj, policy: Policy): Omit<ClassChoice, 'written'>[] {
  const services = asObject(model.services);
  const mounting = new Map<string, string[]>();
  for (const mount of serviceMounts(model)) {
    const list = mounting.get(mount.volume) ?? [];
    if (!list.includes(mount.service)) list.push(mount.service);
    mounting.set(mount.volume, list);
  }
  const chosen: Omit<ClassChoice, 'written'>[] = [];
  for (const [key, definition] of namedVolumes(model)) {
    // A class named is kept; x-voldriver without one (no value, or parameters only) still leaves the volume to the rules.
    if (declaredClass(definition) !== undefined) continue;
    const decision = resolveClass(policy, {
      key,
      definition,
      services: (mounting.get(key) ?? []).map((name) => {
        const image = asObject(services[name]).image;
        return { name, image: typeof image === 'string' ? image : undefined };
      }),
    });
    if (decision.class === undefined || (decision.reason !== 'rule' && decision.reason !== 'default')) continue;
    chosen.push({ volume: key, class: decision.class, because: decision.because ?? 'no rule matched: default class' });
  }
  return chosen;
}

/** Writes the chosen classes into `source`, the file that declares the volumes. */
export function writeClasses(source: SourceFile, model: Obj, policy: Policy): ClassesResult {
  const editor = new TextEditor(source);
  const findings: Finding[] = [];
  const root = source.doc.contents;
  const volumesPair = isMap(root) ? (root.items.find((item) => isScalar(item.key) && item.key.value === 'volumes') as Pair<Node, Node> | undefined) : undefined;
  const section = volumesPair?.value;
  const pairs = new Map<unknown, Pair<Node, Node | null>>();
  if (isMap(section)) for (const item of section.items as Pair<Node, Node | null>[]) if (isScalar(item.key)) pairs.set(item.key.value, item);
  const choices = chooseClasses(model, policy).map((choice): ClassChoice => {
    const skip = (message: string, hint: string): ClassChoice => {
      findings.push({ code: 'init-skipped', severity: 'warning', message, hint, volume: choice.volume, path: ['volumes', choice.volume] });
      return { ...choice, written: false };
    };
    const handWrite = `write "${EXTENSION_KEY}: ${choice.class}" on volume "${choice.volume}" by hand`;
    const pair = pairs.get(choice.volume);
    if (!isMap(section) || !pair) {
      return skip(`volume "${choice.volume}" is not declared in ${source.file} itself (it comes from an included or extended file)`, `run init on the file that declares it, or ${handWrite}`);
    }
    if (!isBlockMap(section)) {
      return skip(`the top-level volumes: section of ${source.file} is a flow mapping ({...}); init does not rewrite it`, handWrite);
    }
    const value = pair.value;
    if (holdsReferences(value) || holdsReferences(pair.key)) {
      return skip(`volume "${choice.volume}" is written with a YAML anchor, alias or merge key, which other places may share`, handWrite);
    }
    if (editor.isExplicitKey(pair.key) || editor.isExplicitKey(volumesPair?.key)) {
      return skip(`volume "${choice.volume}" is written with an explicit key ("? key"); init does not rewrite it`, handWrite);
    }
    const line = `${EXTENSION_KEY}: ${keyText(choice.class)}  # ${choice.because}`;
    const declared = isMap(value) ? value.items.find((item) => isScalar(item.key) && item.key.value === EXTENSION_KEY) : undefined;
    if (declared) {
      // A second x-voldriver under it would be a duplicate key, which Compose refuses.
      const empty = declared.value === null || (isScalar(declared.value) && declared.value.value === null);
      return empty
        ? skip(`volume "${choice.volume}" has "${EXTENSION_KEY}:" with no value; init does not write a second one`, `write the class as its value: ${EXTENSION_KEY}: ${choice.class}`)
        : skip(`volume "${choice.volume}" has "${EXTENSION_KEY}" without a class; init does not write a second one`, `add the class to it: class: ${choice.class}`);
    }
    if (isBlockMap(value)) {
      editor.appendLinesToMap(value, [line]);
      return { ...choice, written: true };
    }
    if (isMap(value) && value.flow && value.items.length > 0) {
      return skip(`volume "${choice.volume}" is written as a flow mapping ({...}); init does not rewrite it`, handWrite);
    }
    if (value && !(isScalar(value) && value.value === null) && !(isMap(value) && value.items.length === 0)) {
      return skip(`volume "${choice.volume}" is not a mapping`, handWrite);
    }
    addUnderKey(editor, pair, line);
    return { ...choice, written: true };
  });
  return { output: editor.result(), choices, findings };
}

/** `key:`, `key: ~`, `key: null` or `key: {}`: the value token goes, the new line comes under the key. */
function addUnderKey(editor: TextEditor, pair: Pair<Node, Node | null>, line: string): void {
  const key = pair.key!;
  const value = pair.value;
  const written = value?.range && value.range[1] > value.range[0] ? value.range : undefined;
  if (written) {
    let start = written[0];
    while (editor.text[start - 1] === ' ' || editor.text[start - 1] === '\t') start--;
    editor.splice(start, flowEnd(editor, value as Node), '');
  }
  const at = editor.lineEnd(written ? written[0] : key.range![1]);
  const indent = ' '.repeat(editor.column(key.range![0]) + editor.unit);
  editor.splice(at, at, `${editor.eol}${indent}${line}`);
}

/** Where a value token ends, without the spaces and line break the parser counts in its range. */
function flowEnd(editor: TextEditor, node: Node): number {
  let end = node.range![1];
  while (end > node.range![0] && /\s/.test(editor.text[end - 1])) end--;
  return end;
}
