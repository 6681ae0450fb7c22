/** The SARIF 2.1.0 JSON Schema (as published with the standard; draft-04) and a validator for it. */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import ajvDraft04 from 'ajv-draft-04';
import ajvFormats from 'ajv-formats';

// CommonJS modules: their classes are their `default` properties.
const Ajv = ajvDraft04.default;
const addFormats = ajvFormats.default;

const require = createRequire(import.meta.url);
const schemaPath = require.resolve('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json');

// The schema's pattern for `language` holds a lone `]`, which only a non-unicode regular expression accepts.
const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
addFormats(ajv);
const validate = ajv.compile(JSON.parse(readFileSync(schemaPath, 'utf8')));

/** The schema's complaints, one per line; empty when the log is valid SARIF 2.1.0. */
export function sarifProblems(log: unknown): string {
  if (validate(log)) return '';
  return (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message}`).join('\n');
}

/**
 * What code scanning refuses beyond the schema: a result without a location refuses the whole file
 * ("locationFromSarifResult: expected at least one location"), and one outside the repository is not shown.
 */
export function codeScanningProblems(log: { runs: { results: { ruleId: string; locations?: { physicalLocation?: { artifactLocation?: { uri?: string; uriBaseId?: string } } }[] }[] }[] }): string {
  const problems: string[] = [];
  for (const run of log.runs) {
    for (const result of run.results) {
      const artifact = result.locations?.[0]?.physicalLocation?.artifactLocation;
      if (!artifact?.uri) problems.push(`${result.ruleId}: no location`);
      else if (artifact.uriBaseId !== '%SRCROOT%' || artifact.uri.startsWith('..')) problems.push(`${result.ruleId}: ${artifact.uri} is not a file of the repository`);
    }
  }
  return problems.join('\n');
}
