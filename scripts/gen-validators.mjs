#!/usr/bin/env node
/**
 * Compiles the JSON Schemas listed in src/schema/schemas.json into standalone ESM validators
 * (src/schema/generated/<name>.js + <name>.d.ts), plus generated/index.js mapping each name to its
 * validator and to the schema's text. The CLI imports these modules, so it never compiles a schema at run time.
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
  for (const [key, value] of Object.entries(schema)) {
    if (DOC_ONLY.has(key)) continue;
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
    code: { source: true, esm: true },
  });
  // Annotation: the message to show when the schema node it sits on fails.
  ajv.addKeyword({ keyword: 'errorMessage', schemaType: 'string' });
  return ajv;
}

const RUNTIME_HELPER = `function __runtimeDefault(ns) {
  const d = ns.default;
  return d && typeof d === 'object' && 'default' in d ? d.default : d;
}`;

/** ajv writes its runtime helpers as CommonJS `require` calls even for ESM output: turn them into imports. */
function toEsm(code, name) {
  const imports = [];
  const body = code.replace(/^"use strict";/, '').replace(/const (\w+) = require\("([^"]+)"\)\.default;/g, (_, local, spec) => {
    const file = spec.endsWith('.js') ? spec : `${spec}.js`;
    const ns = `__rt_${local}`;
    imports.push(`import * as ${ns} from ${JSON.stringify(file)};`);
    return `const ${local} = __runtimeDefault(${ns});`;
  });
  if (/\brequire\(/.test(body)) fail(`the validator for "${name}" still calls require(); extend toEsm() for it`);
  return { imports, body };
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

const validatorDts = (file) => `${header(file).trimEnd()}
${VALIDATE_TYPE}

declare const validate: GeneratedValidateFunction;
export { validate };
export default validate;
`;

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
    const { imports, body } = toEsm(standaloneCode(ajv, validate), name);
    const js = `${[header(file).trimEnd(), ...imports, ...(imports.length ? [RUNTIME_HELPER] : []), body].join('\n')}\n`;
    outputs.set(`${name}.js`, js);
    outputs.set(`${name}.d.ts`, validatorDts(file));
  }

  const entries = list.map(({ name, file }, i) => ({ name, file, local: `v${i}` }));
  const indexJs = [
    header('schemas.json').trimEnd(),
    ...entries.map((e) => `import ${e.local} from './${e.name}.js';`),
    '',
    `export const schemaNames = Object.freeze(${JSON.stringify(list.map((e) => e.name))});`,
    `export const validators = Object.freeze({ ${entries.map((e) => `${JSON.stringify(e.name)}: ${e.local}`).join(', ')} });`,
    'export const schemaTexts = Object.freeze({',
    ...entries.map((e) => `  ${JSON.stringify(e.name)}: ${JSON.stringify(`${JSON.stringify(originals.get(e.file), null, 2)}\n`)},`),
    '});',
    '',
  ].join('\n');
  outputs.set('index.js', indexJs);
  outputs.set(
    'index.d.ts',
    `${header('schemas.json').trimEnd()}
${VALIDATE_TYPE}

export declare const schemaNames: readonly string[];
export declare const validators: Readonly<Record<string, GeneratedValidateFunction>>;
export declare const schemaTexts: Readonly<Record<string, string>>;
`,
  );
  if (checkOnly) {
    const stale = [...outputs].filter(([f, text]) => !existsSync(join(outDir, f)) || readFileSync(join(outDir, f), 'utf8') !== text);
    if (stale.length) fail(`out of date: ${stale.map(([f]) => f).join(', ')} (run node scripts/gen-validators.mjs)`);
    return;
  }

  mkdirSync(outDir, { recursive: true });
  for (const f of readdirSync(outDir)) {
    if (!outputs.has(f) && /\.(js|d\.ts)$/.test(f)) rmSync(join(outDir, f), { force: true });
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
