/**
 * Conformance corpus: fixtures/compose/<case>/ holds compose files, maybe .env files, and args.json:
 *   { files?, env?, envFiles?, profiles?, resolve? (default true), projectName?, target?,
 *     docker?: "input" | "output", dockerReason?: string }
 * Expected results: expected.yml and expected.findings (one line per finding) for `target` (default compose),
 * expected.swarm.yml and expected.swarm.findings for the swarm target, or expected.error for a case that
 * must fail.
 * UPDATE_GOLDEN=1 rewrites them.
 *
 * Every case that loads is also checked against the real docker CLI: the swarm output must pass
 * `docker stack config`, and its services must equal what docker makes of the input files themselves.
 * Where docker cannot read the inputs the way Compose does (.env files, include, extends, profiles, the
 * merge tags, top-level name), args.json says docker: "output" and why; the services are then compared with
 * what docker makes of the swarm output, which still proves the output is read back the same way.
 */
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { golden, readCaseArgs, type CaseArgs } from '../helpers/golden.js';
import { parse, type Document } from 'yaml';
import { formatLocation, InputError, type Finding } from '../../src/findings.js';
import { loadProject, type ComposeIO, type ComposeModel } from '../../src/compose/project.js';
import { targetOutput, type ComposeTarget } from '../../src/compose/target.js';
import { dockerStackConfig, requireDocker } from '../helpers/docker.js';
import { parseDotEnv } from '../../src/compose/dotenv.js';

const root = 'fixtures/compose';
const cases = existsSync(root)
  ? readdirSync(root)
      .filter((name) => existsSync(join(root, name, 'args.json')))
      .sort()
  : [];


type Obj = Record<string, unknown>;
const obj = (value: unknown): Obj => (value && typeof value === 'object' && !Array.isArray(value) ? (value as Obj) : {});

function environmentMap(value: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (Array.isArray(value)) {
    for (const entry of value) {
      const [key, ...rest] = String(entry).split('=');
      out[key] = rest.join('=');
    }
  } else for (const [key, entry] of Object.entries(obj(value))) out[key] = entry === null || entry === undefined ? '' : String(entry);
  return out;
}

function mountTargets(value: unknown): string[] {
  if (!Array.isArray(value)) return [];
  return value
    .map((entry) => (typeof entry === 'string' ? (entry.split(':')[1] ?? entry.split(':')[0]) : String(obj(entry).target)))
    .sort();
}

/** Variables a service's env_file entries give it; `service.environment` wins over them, as in Compose. */
function envFileVars(service: Obj, projectDir: string): Record<string, string> {
  const entries = service.env_file === undefined ? [] : Array.isArray(service.env_file) ? service.env_file : [service.env_file];
  const vars: Record<string, string> = {};
  for (const entry of entries) {
    const path = typeof entry === 'string' ? entry : String(obj(entry).path);
    const file = join(projectDir, path);
    if (existsSync(file)) Object.assign(vars, parseDotEnv(readFileSync(file, 'utf8'), file));
  }
  return vars;
}

/**
 * What a service is, in a form both docker's normalised output and a Compose model can be reduced to. Docker's
 * output has env_file already read into environment; for a model, pass the project directory to read them.
 */
function essentials(services: unknown, projectDir?: string) {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(obj(services))) {
    const service = obj(value);
    const replicas = obj(service.deploy).replicas;
    out[name] = {
      image: service.image ?? null,
      environment: { ...(projectDir ? envFileVars(service, projectDir) : {}), ...environmentMap(service.environment) },
      mounts: mountTargets(service.volumes),
      replicas: replicas === undefined ? null : Number(replicas),
    };
  }
  return out;
}

function fsIO(dir: string): ComposeIO {
  return {
    readFile: (path) => readFileSync(join(dir, path), 'utf8'),
    exists: (path) => existsSync(join(dir, path)),
    isDirectory: (path) => existsSync(join(dir, path)) && statSync(join(dir, path)).isDirectory(),
  };
}

/** The project and its output for `target`, the target's notes added to the project's. */
function load(dir: string, args: CaseArgs, target: ComposeTarget): { model: ComposeModel; output: Document; findings: Finding[] } {
  const project = loadProject({
    files: args.files ?? [],
    io: fsIO(dir),
    env: args.env ?? {},
    envFiles: args.envFiles,
    profiles: args.profiles,
    projectName: args.projectName,
    resolve: args.resolve ?? true,
    workingDir: resolve(dir),
  });
  const { document, findings } = targetOutput(project, target);
  return { model: project.model, output: document, findings: [...project.findings, ...findings] };
}

function describeFinding(f: Finding): string {
  return `${f.severity} ${f.code} ${formatLocation(f) || '-'} ${f.path ? f.path.join('.') : ''} ${f.message}`.trimEnd();
}

describe('compose conformance corpus', () => {
  it('has cases', () => {
    expect(cases.length, `no cases under ${root}`).toBeGreaterThan(0);
  });

  for (const name of cases) {
    describe(name, () => {
      const dir = join(root, name);
      const args = readCaseArgs(dir);
      const errorFile = join(dir, 'expected.error');
      const fails = existsSync(errorFile);

      if (fails) {
        it('fails with the expected error', () => {
          let message = '';
          try {
            load(dir, args, args.target ?? 'compose');
          } catch (error) {
            if (!(error instanceof InputError)) throw error;
            message = `${formatLocation(error.location)}: ${error.message}\n`;
          }
          expect(message, 'loading should have failed').not.toBe('');
          golden(errorFile, message);
        });
        return;
      }

      it('resolves as expected', () => {
        const project = load(dir, args, args.target ?? 'compose');
        golden(join(dir, 'expected.yml'), project.output.toString({ lineWidth: 0 }));
        golden(join(dir, 'expected.findings'), project.findings.map(describeFinding).join('\n') + '\n');
      });

      it('resolves for docker stack deploy as expected', () => {
        const project = load(dir, args, 'swarm');
        golden(join(dir, 'expected.swarm.yml'), project.output.toString({ lineWidth: 0 }));
        golden(join(dir, 'expected.swarm.findings'), project.findings.map(describeFinding).join('\n') + '\n');
      });

      it('gives identical bytes when loaded twice', () => {
        for (const target of ['compose', 'swarm'] as const) {
          const first = load(dir, args, target).output.toString({ lineWidth: 0 });
          const second = load(dir, args, target).output.toString({ lineWidth: 0 });
          expect(second).toBe(first);
        }
      });

      it('writes a stack file docker stack config accepts, with the same services', (ctx) => {
        if (!requireDocker()) ctx.skip();
        if (args.docker === 'output') expect(args.dockerReason, 'say why docker cannot read the inputs').toBeTruthy();
        const output = load(dir, args, 'swarm').output.toString({ lineWidth: 0 });
        // Relative paths in the output are relative to the project directory: write it there, in a copy.
        const tmp = mkdtempSync(join(tmpdir(), `cv-corpus-${name}-`));
        cpSync(dir, tmp, { recursive: true });
        const files = args.files?.length ? args.files : (args.env?.COMPOSE_FILE ?? '').split(':').filter(Boolean);
        const out = join(tmp, dirname(files[0]), '.swarm-output.yml');
        writeFileSync(out, output);
        const env = args.env ?? {};

        const fromOutput = dockerStackConfig([out], env);
        expect(fromOutput?.code, fromOutput?.stderr).toBe(0);
        const services = (parse(fromOutput?.stdout ?? '') as { services?: unknown }).services;

        if (args.docker === 'output') {
          // Docker cannot read the inputs as Compose does, so compare its reading of the output with what
          // Compose semantics (the loaded model) say each service is.
          const model = load(dir, args, 'swarm').model as { services?: Record<string, unknown> };
          expect(essentials(services)).toEqual(essentials(model.services, dirname(out)));
          return;
        }
        const fromInput = dockerStackConfig(files.map((file) => join(tmp, file)), env);
        expect(fromInput?.code, fromInput?.stderr).toBe(0);
        expect(services).toEqual((parse(fromInput?.stdout ?? '') as { services?: unknown }).services);
      });
    });
  }
});
