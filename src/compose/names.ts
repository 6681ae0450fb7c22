/** Project names and the engine names of volumes, as Compose and `docker stack deploy` derive them. */
import { posix } from 'node:path';
import { InputError, type Location } from '../findings.js';
import { isTree } from './merge.js';

/** Lowercase, only [a-z0-9_-], not starting with "_" or "-": what Compose makes of a folder name. */
export function normalizeProjectName(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^a-z0-9_-]/g, '')
    .replace(/^[_-]+/, '');
}

export interface ProjectNameSources {
  /** -p */
  option?: string;
  /** COMPOSE_PROJECT_NAME from the environment or the .env file. */
  env?: string;
  /** The merged top-level `name:`. */
  model?: unknown;
  /** Where that `name:` is written, for the message that refuses it. */
  modelAt?: () => Location | undefined;
  /** The project directory, absolute or relative to `workingDir`. */
  projectDirectory: string;
  /** The absolute working directory, to name a project whose directory is given relatively. */
  workingDir?: string;
}

/**
 * -p, then COMPOSE_PROJECT_NAME, then `name:`, then the project folder's name. A name given explicitly must
 * already be valid (Compose refuses it otherwise); a folder name is normalised.
 */
export function resolveProjectName(sources: ProjectNameSources): string | undefined {
  const explicit: [string | undefined, string, (() => Location | undefined)?][] = [
    [sources.option, 'the -p option'],
    [sources.env, 'COMPOSE_PROJECT_NAME'],
    [typeof sources.model === 'string' ? sources.model : undefined, 'the top-level "name"', sources.modelAt],
  ];
  for (const [name, from, at] of explicit) {
    if (name === undefined || name === '') continue;
    if (normalizeProjectName(name) !== name) {
      throw new InputError(
        `invalid project name "${name}" (from ${from}): use only lowercase letters, digits, "_" and "-", starting with a letter or digit`,
        at?.(),
      );
    }
    return name;
  }
  const dir = posix.resolve(sources.workingDir ?? '/', sources.projectDirectory);
  const name = normalizeProjectName(posix.basename(dir));
  return name === '' ? undefined : name;
}

/**
 * The name the engine gives a top-level volume: `<project>_<key>`, unless the volume sets `name:`; an
 * external volume is looked up by its `name:` (or the deprecated `external.name`) or by its key.
 */
export function engineVolumeName(projectName: string, volumeKey: string, volumeDef: unknown): string {
  const def = isTree(volumeDef) ? volumeDef : {};
  const name = typeof def.name === 'string' && def.name !== '' ? def.name : undefined;
  const external = def.external;
  if (external === true || isTree(external)) {
    const legacy = isTree(external) && typeof external.name === 'string' ? external.name : undefined;
    return name ?? legacy ?? volumeKey;
  }
  return name ?? `${projectName}_${volumeKey}`;
}
