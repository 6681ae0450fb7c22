/**
 * The starter policy `init --policy` writes: `dev` on the local driver, one environment per platform taken from
 * the built-in policy of that name, only the classes the stack uses, and the placeholders each environment needs.
 */
import { InputError } from '../findings.js';
import { didYouMean } from '../suggest.js';
import { loadBuiltinPolicy } from './load.js';
import { placeholdersIn } from './placeholders.js';
import { ADOPTION_CLASSES } from './presets/adoption.js';
import { builtinPolicies } from './presets/index.js';
import type { ClassMapping, PolicyDocument, Scalar } from './types.js';

/** The platforms --platform takes: every built-in policy but the embedded default. */
export const PLATFORMS = Object.keys(builtinPolicies).filter((name) => name !== 'default');

/** What each site value is, with an example, for the comments of the starter. */
const SITE_VALUES: Record<string, { example: string; what: string }> = {
  zone: { example: 'eu-west-1a', what: 'availability zone of the EBS volumes; services that mount them are pinned to it' },
  nfs_server: { example: '192.0.2.10', what: 'address of the NFS server' },
  nfs_export: { example: '/srv/nfs', what: 'exported directory; {nfs_export}/{volume} must exist on the server' },
  gluster_servers: { example: 'gluster1,gluster2', what: 'GlusterFS servers, comma-separated' },
  gluster_volume: { example: 'gv0', what: 'GlusterFS volume the data lives in' },
};

const BUILT_IN_PLACEHOLDERS = new Set(['volume', 'class', 'env', 'project']);
const CLASS_ORDER = ['durable', 'shared', 'fast'];

export interface StarterOptions {
  /** Classes the stack uses. */
  classes: string[];
  /** Built-in policy names, one environment each. */
  platforms: string[];
  /** The compose file, as the commands in the comments should name it. */
  stack: string;
  /** Where the JSON Schema for editors is, relative to the policy file. */
  schema: string;
}

export function checkPlatforms(platforms: string[]): void {
  for (const name of platforms) {
    if (PLATFORMS.includes(name)) continue;
    throw new InputError(`unknown platform "${name}"${didYouMean(name, PLATFORMS)}; platforms: ${PLATFORMS.join(', ')}`);
  }
}

const PLAIN = /^[A-Za-z0-9_/][A-Za-z0-9_./-]*$/;
const RESERVED = /^(y|n|yes|no|true|false|on|off|null|~|[-+]?(\.inf|\.nan)|[-+.0-9][0-9a-fx._oe+-]*)$/i;

/** A string as YAML that reads back as the same string. */
function text(value: string): string {
  return PLAIN.test(value) && !RESERVED.test(value) ? value : JSON.stringify(value);
}

function scalar(value: Scalar): string {
  return typeof value === 'string' ? text(value) : String(value);
}

/** Placeholders a mapping uses. */
function placeholdersOf(mapping: ClassMapping): string[] {
  const values = [
    mapping.driver ?? '',
    ...Object.values(mapping.driver_opts ?? {}).map(String),
    ...Object.values(mapping.labels ?? {}).map(String),
    ...(mapping.placement ?? []),
    mapping.name ?? '',
  ];
  return [...new Set(values.flatMap(placeholdersIn))].filter((name) => !BUILT_IN_PLACEHOLDERS.has(name));
}

interface Environment {
  name: string;
  data: PolicyDocument;
  /** Placeholders its classes need that have no value in its built-in policy. */
  needs: string[];
}

function mappingLines(env: Environment, className: string, indent: string): string[] {
  const spec = env.data.classes[className];
  const lines = [`${indent}${env.name}:${spec.description ? `  # ${spec.description}` : ''}`];
  const inner = indent + '  ';
  lines.push(`${inner}driver: ${text(spec.driver)}`);
  const opts = Object.entries(spec.driver_opts ?? {});
  if (opts.length > 0) lines.push(`${inner}driver_opts:`, ...opts.map(([key, value]) => `${inner}  ${key}: ${JSON.stringify(String(value))}`));
  const known = { ...env.data.parameters, ...spec.parameters };
  const used = placeholdersOf(spec);
  const parameters = used.filter((name) => known[name] !== undefined);
  if (parameters.length > 0) lines.push(`${inner}parameters:`, ...parameters.map((name) => `${inner}  ${name}: ${scalar(known[name])}`));
  for (const name of used) if (known[name] === undefined && !env.needs.includes(name)) env.needs.push(name);
  const labels = Object.entries(spec.labels ?? {});
  if (labels.length > 0) lines.push(`${inner}labels:`, ...labels.map(([key, value]) => `${inner}  ${key}: ${JSON.stringify(String(value))}`));
  if (spec.placement?.length) lines.push(`${inner}placement:`, ...spec.placement.map((constraint) => `${inner}  - ${text(constraint)}`));
  if (spec.name !== undefined) lines.push(`${inner}name: ${text(spec.name)}`);
  return lines;
}

/** The built-in rules whose class the starter defines, as their text (comments included). */
function rulesFor(classes: string[]): string[] {
  const [head, body] = ADOPTION_CLASSES.split(/^rules:\n/m);
  const blocks = body.split(/^(?=  # )/m).filter((block) => {
    const named = /^ {4}class: (\S+)$/m.exec(block)?.[1];
    return named !== undefined && classes.includes(named);
  });
  const lines: string[] = [];
  if (classes.includes('durable')) lines.push(...head.trimEnd().split('\n'));
  if (blocks.length > 0) lines.push('rules:', ...blocks.join('').trimEnd().split('\n'));
  return lines;
}

export interface Starter {
  text: string;
  /** Per environment, the placeholders it needs a value for. */
  needs: Record<string, string[]>;
}

/** What the policy schema takes as a class name. */
const CLASS_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

export function starterPolicy(options: StarterOptions): Starter {
  checkPlatforms(options.platforms);
  const invalid = options.classes.find((name) => !CLASS_NAME.test(name));
  if (invalid !== undefined) {
    // A policy cannot define it: the starter would be a file that does not load.
    throw new InputError(
      `${options.stack} asks for class "${invalid}", which no policy can define: a class name starts with a letter or digit and holds only letters, digits, "_", "." and "-"`,
      undefined,
      `rename the class in the x-voldriver of the volumes that ask for it, then run init --policy again`,
    );
  }
  const base = loadBuiltinPolicy('builtin:default').data;
  // A platform named twice is one environment: a second entry would be a duplicate key, a file that does not load.
  const environments: Environment[] = [...new Set(options.platforms)].map((name) => ({ name, data: loadBuiltinPolicy(`builtin:${name}`).data, needs: [] }));
  const named = options.classes.length > 0 ? options.classes : ['durable'];
  const classes = [...CLASS_ORDER.filter((name) => named.includes(name)), ...named.filter((name) => !CLASS_ORDER.includes(name)).sort()];

  const body: string[] = ['classes:'];
  for (const className of classes) {
    const known = base.classes[className];
    body.push(`  ${text(className)}:`);
    if (known?.description) body.push(`    description: ${JSON.stringify(known.description)}`);
    body.push(`    driver: local                # dev: Docker's built-in driver, data on the node that runs the task`);
    const platforms = environments.filter((env) => env.data.classes[className]);
    if (platforms.length > 0) body.push('    environments:', ...platforms.flatMap((env) => mappingLines(env, className, '      ')));
    for (const env of environments.filter((candidate) => !candidate.data.classes[className])) {
      body.push(`    # ${env.name}: builtin:${env.name} has no class "${className}": it uses the local driver there too until you add one`);
    }
  }

  const stack = options.stack;
  const first = environments[0];
  const example = first
    ? `compose-voldriver render -f ${stack} --env ${first.name}${first.needs.map((name) => ` --set ${name}=${SITE_VALUES[name]?.example ?? 'VALUE'}`).join('')}`
    : undefined;
  const header = [
    `# yaml-language-server: $schema=${options.schema}`,
    `# Volume classes for ${stack}: what each class becomes in each environment. Written by`,
    '# `compose-voldriver init --policy` from the built-in policies; edit freely.',
    `#   compose-voldriver render -f ${stack} --env dev`,
    ...(example ? [`#   ${example}`] : ['# Add an environment per platform with init --policy --force --platform aws,nfs,...']),
    `# compose-voldriver explain -f ${stack} --env NAME shows what each volume becomes, and why.`,
    'version: 1',
  ];
  const siteValue = (name: string) => `${name}: ${SITE_VALUES[name]?.example ?? 'VALUE'}`;
  const width = Math.max(0, ...environments.flatMap((env) => env.needs.map((name) => siteValue(name).length)));
  const environmentLines = [
    'environments:',
    '  dev:',
    `    description: ${JSON.stringify("This machine or any single host: Docker's local driver")}`,
    ...environments.flatMap((env) => [
      `  ${env.name}:`,
      ...(env.data.description ? [`    description: ${JSON.stringify(env.data.description.replace(/\s*Set --set .*$/, ''))}`] : []),
      ...(env.needs.length === 0
        ? []
        : [
            '    # Site values: uncomment and fill in, or give them with --set NAME=VALUE (or VOLDRIVER_NAME=VALUE).',
            '    # parameters:',
            ...env.needs.map((name) => `    #   ${siteValue(name).padEnd(width)}  # ${SITE_VALUES[name]?.what ?? `value for {${name}}`}`),
          ]),
    ]),
  ];
  return {
    text: [...header, ...environmentLines, ...rulesFor(classes), ...body].join('\n') + '\n',
    needs: Object.fromEntries(environments.map((env) => [env.name, env.needs])),
  };
}
