#!/usr/bin/env node
/**
 * Compiles the JSON Schemas listed in src/schema/schemas.json into standalone CommonJS validators
 * (src/schema/generated/<name>.cjs) and copies each schema beside them (<name>.schema.json), plus
 * generated/index.js, which loads a validator or a schema text only when it is first asked for (bundled.js is the
 * same for the bundler, with static requires). The CLI never
 * compiles a schema at run time, and a command loads only the validators it uses (each is large: loading all of
 * them at start-up cost more than the rest of a small render). The build copies these files next to the bundle.
 *
 * Usage: node scripts/gen-validators.mjs [--check]
 *   --check  exit 1 when a generated file is missing or out of date, without writing anything.
 */
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import Ajv from 'ajv';
import standaloneCode from 'ajv/dist/standalone/index.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const schemaDir = join(root, 'src', 'schema');
const outDir = join(schemaDir, 'generated');
const listFile = join(schemaDir, 'schemas.json');
const checkOnly = process.argv.includes('--check');

function fail(message) {
  console.error(`gen-validators: ${message}`);
  process.exit(1);
}

function readJson(file) {
  let text;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    fail(`cannot read ${file}: ${error.message}`);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    fail(`${file} is not valid JSON: ${error.message}`);
  }
}

/** @returns {{name: string, file: string}[]} */
function readList() {
  const list = readJson(listFile);
  if (!Array.isArray(list)) fail(`${listFile} must hold a JSON array of {"name", "file"} entries`);
  const seen = new Set();
  return list.map((entry, i) => {
    if (!entry || typeof entry !== 'object') fail(`${listFile}[${i}] must be an object with "name" and "file"`);
    const { name, file } = entry;
    if (typeof name !== 'string' || !/^[a-z][a-z0-9-]*$/.test(name)) {
      fail(`${listFile}[${i}].name must be lowercase letters, digits and "-", starting with a letter (got ${JSON.stringify(name)})`);
    }
    if (name === 'index') fail(`${listFile}[${i}].name "index" is reserved`);
    if (typeof file !== 'string' || file.includes('/') || file.includes('\\') || !file.endsWith('.json')) {
      fail(`${listFile}[${i}].file must be a .json file name inside src/schema (got ${JSON.stringify(file)})`);
    }
    if (seen.has(name)) fail(`${listFile}: "${name}" is listed twice`);
    seen.add(name);
    if (!existsSync(join(schemaDir, file))) fail(`${listFile}[${i}]: ${file} not found in src/schema`);
    return { name, file };
  });
}

// Keywords whose value is a schema, a list of schemas, or a map of schemas (draft-07, plus $defs).
const SCHEMA_VALUED = new Set(['additionalItems', 'additionalProperties', 'contains', 'propertyNames', 'not', 'if', 'then', 'else']);
const SCHEMA_LISTS = new Set(['allOf', 'anyOf', 'oneOf']);
const SCHEMA_MAPS = new Set(['properties', 'patternProperties', 'definitions', '$defs']);
const DOC_ONLY = new Set(['title', '$comment', 'examples']);

/**
 * A copy of a schema without documentation-only keywords, so the generated code (which embeds the schema
 * for error reporting) stays small. `description` is kept where the node has an `errorMessage`: it is the hint.
 */
function stripDocs(schema) {
  if (Array.isArray(schema)) return schema.map(stripDocs);
  if (!schema || typeof schema !== 'object') return schema;
  const out = {};
  // ajv compares items of other types than strings and numbers pair by pair, which is quadratic in the length of
  // the list (a service mounting 20,000 volumes): src/schema/validate.ts checks those lists itself, in one pass.
  const byValue = schema.uniqueItems === true && schema.items && typeof schema.items === 'object' && '$ref' in schema.items;
  for (const [key, value] of Object.entries(schema)) {
    if (DOC_ONLY.has(key)) continue;
    if (key === 'uniqueItems' && byValue) continue;
    if (key === 'description' && typeof schema.errorMessage !== 'string') continue;
    if (SCHEMA_VALUED.has(key) || SCHEMA_LISTS.has(key)) {
      out[key] = stripDocs(value);
    } else if (key === 'items') {
      out[key] = stripDocs(value);
    } else if (SCHEMA_MAPS.has(key) && value && typeof value === 'object') {
      out[key] = Object.fromEntries(Object.entries(value).map(([k, v]) => [k, stripDocs(v)]));
    } else if (key === 'dependencies' && value && typeof value === 'object') {
      out[key] = Object.fromEntries(Object.entries(value).map(([k, v]) => [k, Array.isArray(v) ? v : stripDocs(v)]));
    } else {
      out[key] = value;
    }
  }
  return out;
}

function newAjv() {
  const ajv = new Ajv({
    allErrors: true,
    // Errors carry parentSchema: the validate layer reads `properties` (did-you-mean) and `errorMessage` from it.
    verbose: true,
    strict: true,
    // `required` may name a property defined in an allOf branch.
    strictRequired: false,
    allowUnionTypes: true,
    // Shared definitions become functions instead of being copied at every use: about a third less code to load.
    inlineRefs: false,
    code: { source: true },
  });
  // Annotation: the message to show when the schema node it sits on fails.
  ajv.addKeyword({ keyword: 'errorMessage', schemaType: 'string' });
  return ajv;
}

const header = (file) => `// Generated by scripts/gen-validators.mjs from src/schema/${file}. Do not edit.\n`;

const VALIDATE_TYPE = `import type { ErrorObject } from 'ajv';

/** The shape of an ajv standalone validator (an ajv ValidateFunction without the compiled-schema fields). */
export interface GeneratedValidateFunction {
  (
    data: unknown,
    context?: { instancePath?: string; parentData?: unknown; parentDataProperty?: string | number; rootData?: unknown },
  ): boolean;
  errors?: ErrorObject[] | null;
}`;

function main() {
  const list = readList();
  if (list.length === 0) fail(`${listFile} lists no schema`);
  const ajv = newAjv();
  const originals = new Map();

  // Every schema file of the folder is registered, so cross-file $refs resolve even to unlisted files.
  const files = new Set(readdirSync(schemaDir).filter((f) => f.endsWith('.schema.json')));
  for (const { file } of list) files.add(file);
  const ids = new Map();
  for (const file of [...files].sort()) {
    const schema = readJson(join(schemaDir, file));
    originals.set(file, schema);
    const id = typeof schema.$id === 'string' ? schema.$id : file;
    ids.set(file, id);
    try {
      if (typeof schema.$id === 'string') ajv.addSchema(stripDocs(schema));
      else ajv.addSchema(stripDocs(schema), file);
    } catch (error) {
      fail(`${file}: ${error.message}`);
    }
  }

  const outputs = new Map();
  for (const { name, file } of list) {
    let validate;
    try {
      validate = ajv.getSchema(ids.get(file));
    } catch (error) {
      fail(`${file}: ${error.message}`);
    }
    if (!validate) fail(`${file}: ajv could not compile it`);
    const code = standaloneCode(ajv, validate);
    for (const match of code.matchAll(/require\("([^"]+)"\)/g)) {
      if (!match[1].startsWith('ajv/dist/runtime/')) fail(`the validator for "${name}" requires ${match[1]}; only ajv's runtime helpers may be required`);
    }
    outputs.set(`${name}.cjs`, `${header(file)}${code}\n`);
    outputs.set(`${name}.schema.json`, `${JSON.stringify(originals.get(file), null, 2)}\n`);
  }

  const names = `export const schemaNames = Object.freeze(${JSON.stringify(list.map((e) => e.name))});`;
  // What both variants share: each validator is loaded once, on first use.
  const accessors = [
    'const validators = new Map();',
    '',
    'export function validatorFor(name) {',
    '  let validate = validators.get(name);',
    '  if (!validate) {',
    '    validate = loadValidator(name);',
    '    validators.set(name, validate);',
    '  }',
    '  return validate;',
    '}',
    '',
    'export function schemaTextFor(name) {',
    '  return `${JSON.stringify(loadSchema(name), null, 2)}\\n`;',
    '}',
    '',
  ];
  const indexJs = [
    header('schemas.json').trimEnd(),
    "import { createRequire } from 'node:module';",
    '',
    '// Used when running from source; the bundles use bundled.js.',
    'const load = createRequire(import.meta.url);',
    'const loadValidator = (name) => load(`./${name}.cjs`);',
    'const loadSchema = (name) => load(`./${name}.schema.json`);',
    '',
    names,
    '',
    ...accessors,
  ].join('\n');
  outputs.set('index.js', indexJs);
  // The bundle's variant: static requires, so the bundler inlines every validator and schema, each evaluated on
  // first use; the whole bundle then shares one V8 code cache.
  const staticLoader = (fn, suffix) => [
    `function ${fn}(name) {`,
    '  switch (name) {',
    ...list.map((e) => `    case ${JSON.stringify(e.name)}:\n      return require(${JSON.stringify(`./${e.name}${suffix}`)});`),
    '    default:',
    '      throw new Error(`unknown schema ${name}`);',
    '  }',
    '}',
    '',
  ];
  const bundledJs = [
    header('schemas.json').trimEnd(),
    names,
    '',
    ...staticLoader('loadValidator', '.cjs'),
    ...staticLoader('loadSchema', '.schema.json'),
    ...accessors,
  ].join('\n');
  outputs.set('bundled.js', bundledJs);
  outputs.set(
    'index.d.ts',
    `${header('schemas.json').trimEnd()}
${VALIDATE_TYPE}

export declare const schemaNames: readonly string[];
/** The validator of a listed schema, loaded on first use. */
export declare function validatorFor(name: string): GeneratedValidateFunction;
/** The schema's JSON text, pretty-printed. */
export declare function schemaTextFor(name: string): string;
`,
  );
  if (checkOnly) {
    const stale = [...outputs].filter(([f, text]) => !existsSync(join(outDir, f)) || readFileSync(join(outDir, f), 'utf8') !== text);
    if (stale.length) fail(`out of date: ${stale.map(([f]) => f).join(', ')} (run node scripts/gen-validators.mjs)`);
    return;
  }

  mkdirSync(outDir, { recursive: true });
  for (const f of readdirSync(outDir)) {
    if (!outputs.has(f) && /\.(c?js|d\.ts|schema\.json)$/.test(f)) rmSync(join(outDir, f), { force: true });
  }
  let written = 0;
  for (const [f, text] of outputs) {
    const target = join(outDir, f);
    if (existsSync(target) && readFileSync(target, 'utf8') === text) continue;
    // Write then rename, so a test run or a build reading the folder never sees half a file.
    const temp = `${target}.${process.pid}.tmp`;
    writeFileSync(temp, text);
    renameSync(temp, target);
    written++;
  }
  console.log(`gen-validators: ${list.map((e) => e.name).join(', ')} -> src/schema/generated (${written} file(s) updated)`);
}

main();
