/**
 * The library's options from JavaScript, where no compiler checks them: an unknown option or one of the wrong type
 * is refused with an InputError that names it, never read as something else (a typo for `environment` must not
 * render the default environment) and never a TypeError from inside.
 */
import { describe, expect, it } from 'vitest';
import * as library from '../src/index.js';
import { explainStack, initStack, InputError, policyEnvironments, renderStack, type StackOptions } from '../src/index.js';

const STACK = 'services:\n  db:\n    image: postgres:16\n    volumes:\n      - data:/var/lib/postgresql/data\nvolumes:\n  data:\n    x-voldriver: fast\n';
const POLICY = {
  version: 1 as const,
  environments: ['prod', 'dev'],
  classes: { fast: { driver: 'local', environments: { prod: { driver: 'rexray/ebs', driver_opts: { size: '{size}', iops: '{iops}', encrypted: '{encrypted}' } } } } },
};
const base = { sources: [{ name: 'compose.yml', text: STACK }], policy: POLICY };

/** The InputError a call throws (failing the test when it throws something else, or nothing). */
function refusal(call: () => unknown): InputError {
  try {
    call();
  } catch (error) {
    expect(error, String(error)).toBeInstanceOf(InputError);
    return error as InputError;
  }
  throw new Error('expected an InputError, and the call returned');
}

const entries: [string, (options: unknown) => unknown][] = [
  ['renderStack', (options) => renderStack(options as StackOptions)],
  ['explainStack', (options) => explainStack(options as StackOptions)],
  ['initStack', (options) => initStack(options as StackOptions)],
  ['policyEnvironments', (options) => policyEnvironments(options as StackOptions)],
];

describe.each(entries)('%s checks its options', (_, call) => {
  it.each([
    ['env', 'environment'],
    ['enviroment', 'environment'],
    ['set', 'parameters'],
    ['file', 'files'],
    ['profile', 'profiles'],
    ['envFile', 'envFiles'],
    ['projectname', 'projectName'],
  ])('refuses the unknown option %s and points at %s', (name, meant) => {
    const error = refusal(() => call({ ...base, [name]: 'x' }));
    expect(error.message).toContain(`unknown option "${name}" (did you mean "${meant}"?)`);
    expect(error.exitCode).toBe(2);
  });

  it.each([
    [{ files: 'compose.yml' }, 'option files must be an array of file names, got a string: write ["compose.yml"]'],
    [{ files: [7] }, 'option files[0] must be a string, got a number'],
    [{ sources: [null] }, 'option sources[0] must be an object { name, text }, got null'],
    [{ sources: [{ name: 'a.yml', text: 42 }] }, 'option sources[0].text must be a string, got a number'],
    [{ sources: [{ name: '', text: '' }] }, 'option sources[0].name must not be empty'],
    [{ policy: 7 }, 'option policy must be a file path, "builtin:NAME" or a policy object, got a number'],
    [{ environment: ['prod'] }, 'option environment must be a string, got an array'],
    [{ parameters: { size: { gb: 5 } } }, 'option parameters.size must be a string, got an object'],
    [{ parameters: 'size=5' }, 'option parameters must be an object of names to strings, got a string'],
    [{ variables: { HOME: null } }, 'option variables.HOME must be a string, got null'],
    [{ profiles: 'debug' }, 'option profiles must be an array of profile names, got a string: write ["debug"]'],
    [{ target: 'kubernetes' }, 'option target must be "compose" or "swarm", got "kubernetes"'],
    [{ resolve: 'yes' }, 'option resolve must be true or false, got a string'],
    [{ reader: { readFile: () => '' } }, 'option reader.exists must be a function, got undefined'],
  ])('refuses %j', (options, message) => {
    const { sources, ...rest } = base;
    const error = refusal(() => call({ sources, ...rest, ...options }));
    expect(error.message).toBe(message);
  });

  it('refuses options that are not an object', () => {
    expect(refusal(() => call('compose.yml')).message).toBe('the options must be an object, got a string');
    expect(refusal(() => call([])).message).toBe('the options must be an object, got an array');
  });

  it('never shows the value of a wrong parameter or variable', () => {
    const error = refusal(() => call({ ...base, parameters: { password: ['hunter2-secret'] } }));
    expect(error.message).not.toContain('hunter2');
  });
});

describe('options from JavaScript', () => {
  it('takes numbers and booleans among parameters and variables as their text', () => {
    const parameters = { size: '20Gi', iops: 3000, encrypted: true } as unknown as Record<string, string>;
    const result = renderStack({ ...base, environment: 'prod', parameters });
    expect(result.findings.filter((finding) => finding.severity === 'error')).toEqual([]);
    expect(result.plans[0].driver_opts).toEqual({ size: '20', iops: '3000', encrypted: 'true' });
  });

  it('takes null as an option not given', () => {
    const result = renderStack({ ...base, environment: null, profiles: null, parameters: { size: '1Gi', iops: '1', encrypted: 'false' } } as unknown as StackOptions);
    expect(result.plans[0].driver).toBe('local');
  });

  it("refuses a reader whose readFile does not return text, naming the file", () => {
    const reader = { readFile: () => Buffer.from(STACK), exists: () => true };
    const error = refusal(() => renderStack({ files: ['compose.yml'], policy: POLICY, reader } as unknown as StackOptions));
    expect(error.message).toMatch(/^the reader's readFile\("[^"]+"\) returned an object, not the file's text$/);
    expect(error.location?.file).toBeDefined();
  });
});

describe("explainStack's display options", () => {
  const secret = { ...base, policy: { version: 1 as const, classes: { fast: { driver: 'local', driver_opts: { type: 'cifs', device: '//h/s', o: 'username=a,password={pw}' } } } }, parameters: { pw: 'Hunter2Secret' } };
  const shows = (display: unknown) => JSON.stringify(explainStack(secret, display as { showSecrets?: boolean }).explain).includes('Hunter2Secret');

  it('show credentials for showSecrets: true only', () => {
    expect(shows({ showSecrets: true })).toBe(true);
    for (const display of [undefined, null, {}, { showSecrets: false }, { showSecrets: null }]) expect(shows(display), JSON.stringify(display)).toBe(false);
  });

  it('refuse a value that is not true or false, a misspelt name and a display that is not an object', () => {
    for (const value of ['no', 'false', 1, 0, {}]) {
      expect(refusal(() => shows({ showSecrets: value })).message).toMatch(/^option showSecrets must be true or false, got (a string|a number|an object)$/);
    }
    expect(refusal(() => shows({ show_secrets: true })).message).toBe('unknown display option "show_secrets" (did you mean "showSecrets"?); the display options are showSecrets');
    expect(refusal(() => shows({ showSecret: false })).message).toMatch(/did you mean "showSecrets"/);
    expect(refusal(() => shows('yes')).message).toBe('the display options must be an object, got a string');
  });
});

describe('the exported helpers check their arguments', () => {
  /** Each helper called as JavaScript may call it: the InputError's message, or what it returned. */
  const call = (fn: (...args: never[]) => unknown, ...args: unknown[]) => refusal(() => (fn as (...a: unknown[]) => unknown)(...args)).message;

  it('refuse an argument of another kind, naming the function and the argument', () => {
    expect(call(library.exitFor, 'x')).toBe('exitFor: the findings must be an array, got a string');
    expect(call(library.exitFor, null)).toBe('exitFor: the findings must be an array, got null');
    expect(call(library.exitFor, [], 'yes')).toBe('exitFor: strict must be true or false, got a string');
    expect(call(library.findDriver, undefined)).toBe('findDriver: the name must be a string, got undefined');
    expect(call(library.findDriver, 5)).toBe('findDriver: the name must be a string, got a number');
    expect(call(library.findDriver, 'x', 'custom')).toBe('findDriver: the custom drivers must be an array, got a string');
    expect(call(library.loadPolicyText, Buffer.from('version: 1'))).toBe('loadPolicyText: the text must be a string, got an object');
    expect(call(library.loadBuiltinPolicy)).toBe('loadBuiltinPolicy: the name must be a string, got undefined');
    expect(call(library.starterPolicy, null)).toBe('starterPolicy: the options must be an object, got null');
    expect(call(library.starterPolicy, { classes: 'fast', platforms: [], stack: 'c.yml', schema: 's.json' })).toBe('starterPolicy: option classes must be an array of strings, got a string');
    expect(call(library.movedPathsFinding, null, '/', 'out.yml')).toBe('movedPathsFinding: the result must be an object, got null');
  });

  it('take what they are documented to take', () => {
    expect(library.exitFor([{ code: 'x', severity: 'warning', message: 'm' }], true)).toBe(1);
    expect(library.exitFor([])).toBe(0);
    expect(library.findDriver('rexray/ebs')?.name).toBe('rexray/ebs');
    expect(library.findDriver('nope')).toBeUndefined();
    // A built-in policy by its reference or, as the policy command takes it, its bare name.
    expect(library.loadBuiltinPolicy('builtin:aws').origin).toBe('builtin:aws');
    expect(library.loadBuiltinPolicy('aws').origin).toBe('builtin:aws');
    expect(call(library.loadBuiltinPolicy, 'awss')).toMatch(/^unknown built-in policy "awss" \(did you mean "aws"\?\)/);
    expect(Object.keys(library.loadPolicyText('version: 1\nclasses: { fast: { driver: local } }\n').data.classes)).toEqual(['fast']);
    expect(library.starterPolicy({ classes: ['fast'], platforms: ['aws'], stack: 'c.yml', schema: 's.json' }).text).toContain('fast');
  });
});

describe('options that name nothing, or one file twice', () => {
  it('an empty file name, an empty policy and two sources of one name are refused, naming the option', () => {
    expect(refusal(() => renderStack({ ...base, files: ['compose.yml', ''] })).message).toBe('option files[1] must be a file name, got an empty string');
    expect(refusal(() => renderStack({ ...base, envFiles: [''] })).message).toBe('option envFiles[0] must be a file name, got an empty string');
    expect(refusal(() => renderStack({ ...base, policy: '' })).message).toBe('option policy must be a file path, "builtin:NAME" or a policy object, got an empty string');
    for (const second of ['compose.yml', './compose.yml', 'x/../compose.yml']) {
      const sources = [{ name: 'compose.yml', text: STACK }, { name: second, text: 'services: {}\n' }];
      expect(refusal(() => renderStack({ ...base, sources })).message).toBe(`option sources[1].name ${JSON.stringify(second)} names the same file as sources[0].name: give each source its own name`);
    }
    expect(renderStack({ ...base, sources: [{ name: 'compose.yml', text: STACK }, { name: 'other/compose.yml', text: STACK }] }).plans).toHaveLength(1);
  });
});

describe('envFiles: ["-"]', () => {
  const tagged = [{ name: 'compose.yml', text: STACK.replace('postgres:16', 'postgres:${TAG}') }];
  const reader = (stdin: string) => ({ readFile: () => { throw new Error('no files'); }, exists: () => false, readStdin: () => stdin });

  it("reads the reader's standard input, once, also when the project is read twice for COMPOSE_PROJECT_NAME", () => {
    let reads = 0;
    const once = { ...reader('TAG=17\n'), readStdin: () => (reads++, 'TAG=17\n') };
    const sources = [{ name: 'compose.yml', text: tagged[0].text.replace('image:', 'container_name: ${COMPOSE_PROJECT_NAME}-db\n    image:') }];
    const result = renderStack({ sources, policy: POLICY, envFiles: ['-'], reader: once, resolve: true, projectName: 'p' });
    expect(result.output).toContain('image: postgres:17');
    expect(result.output).toContain('container_name: p-db');
    expect(reads).toBe(1);
  });

  it('is refused without a readStdin, and beside a policy "-"', () => {
    const { readStdin: _none, ...noStdin } = reader('');
    expect(refusal(() => renderStack({ sources: tagged, policy: POLICY, envFiles: ['-'], reader: noStdin })).message).toBe('the env file "-" is standard input, and the reader given has no readStdin');
    expect(refusal(() => renderStack({ sources: tagged, policy: '-', envFiles: ['-'], reader: reader('TAG=1') })).message).toBe('standard input can be read only once: the env file (envFiles: "-") and the policy (policy: "-") both ask for it; give one of them as a file');
  });
});

describe('the step-by-step functions (loadProject, planVolumes, renderProject, loadPolicyObject, nodeReader) check their arguments', () => {
  const call = (fn: (...args: never[]) => unknown, ...args: unknown[]) => refusal(() => (fn as (...a: unknown[]) => unknown)(...args)).message;
  const io = { readFile: () => STACK, exists: (path: string) => path === 'compose.yml' };
  const project = library.loadProject({ files: ['compose.yml'], io });
  const policy = library.loadPolicyObject(POLICY);

  it('name the function and the argument for null, a wrong kind, a missing part or a misspelt option', () => {
    expect(call(library.loadProject, null)).toBe('loadProject: the options must be an object { files, io, ... }, got null');
    expect(call(library.loadProject, { files: ['compose.yml'] })).toBe('loadProject: option io is needed, got undefined');
    expect(call(library.loadProject, { files: 'compose.yml', io })).toBe('loadProject: options.files must be an array of file names, got a string: write ["compose.yml"]');
    expect(call(library.loadProject, { files: ['compose.yml'], io: { readFile: 'x' } })).toBe('loadProject: options.io.readFile must be a function, got a string');
    expect(call(library.loadProject, { files: ['compose.yml'], io: { readFile: () => undefined } })).toBe('loadProject: options.io.readFile("compose.yml") returned undefined, not the file\'s text');
    expect(call(library.loadProject, { files: ['compose.yml'], io, env: 'x' })).toBe('loadProject: options.env must be an object of names to strings, got a string');
    expect(call(library.loadProject, { files: ['compose.yml'], io, envFile: ['.env'] })).toMatch(/^loadProject: unknown option "envFile" in options \(did you mean "envFiles"\?\)/);
    expect(call(library.planVolumes, null, policy)).toBe("planVolumes: the model must be an object (a project's model, as loadProject returns it), got null");
    expect(call(library.planVolumes, project.model, POLICY)).toBe('planVolumes: the policy must be a loaded policy (what loadPolicyText, loadPolicyObject or loadBuiltinPolicy returns), got a policy document: pass loadPolicyObject(document)');
    expect(call(library.planVolumes, project.model, policy, { env: 3 })).toBe('planVolumes: options.env must be a string, got a number');
    // A misspelt environment must not plan the default one.
    expect(call(library.planVolumes, project.model, policy, { environment: 'prod' })).toMatch(/^planVolumes: unknown option "environment" in options \(did you mean "env"\?\)/);
    expect(call(library.renderProject, null, policy)).toBe('renderProject: the project must be a project as loadProject returns it, got null');
    expect(call(library.renderProject, { ...project, model: 'x' }, policy)).toBe("renderProject: the project's model must be an object (a project as loadProject returns it), got a string");
    expect(call(library.renderProject, project, null)).toBe('renderProject: the policy must be a loaded policy (what loadPolicyText, loadPolicyObject or loadBuiltinPolicy returns), got null');
    expect(call(library.renderProject, project, policy, { target: 'swarms' })).toBe('renderProject: options.target must be "compose" or "swarm", got "swarms"');
    expect(call(library.renderProject, project, policy, { set: 'size=1' })).toBe('renderProject: options.set must be an object of names to strings, got a string');
    expect(call(library.loadPolicyObject, null)).toBe('loadPolicyObject: the policy document must be an object, got null');
    expect(call(library.loadPolicyObject, POLICY, 5)).toBe('loadPolicyObject: the origin must be a string, got a number');
    expect(call(library.nodeReader, 42)).toBe('nodeReader: cwd must be a string, got a number');
  });

  it('take what they are documented to take', () => {
    expect(library.planVolumes(project.model, policy, { env: 'prod', set: { size: '10Gi', iops: '3000', encrypted: 'true' } }).plans[0].driver).toBe('rexray/ebs');
    const rendered = library.renderProject(project, policy, { env: 'prod', set: { size: '10Gi', iops: '3000', encrypted: 'true' }, target: 'swarm', projectName: undefined });
    expect(rendered.output).toContain('driver: "rexray/ebs"');
    expect(library.renderProject(project, policy).plans).toHaveLength(1);
    expect(library.nodeReader().exists('package.json')).toBe(true);
  });

  it('every exported function, given null or nothing for each argument, throws an InputError or returns, never a TypeError', () => {
    for (const [name, value] of Object.entries(library)) {
      if (typeof value !== 'function' || name === 'InputError') continue;
      for (const args of [[], [null], [null, null], [null, null, null], [{}], [{}, {}], [{}, {}, {}], [42, 42, 42]]) {
        try {
          (value as (...a: unknown[]) => unknown)(...args);
        } catch (error) {
          expect(error, `${name}(${args.map((a) => JSON.stringify(a)).join(', ')})`).toBeInstanceOf(InputError);
        }
      }
    }
  });
});
