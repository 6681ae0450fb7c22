/** What docker stack deploy would refuse half-way (after creating part of the stack) is refused before it runs. */
import { describe, expect, test } from 'vitest';
import { parse } from 'yaml';
import { checkDockerArgs, checkStackNames } from '../../src/deploy/names.js';

const STACK = 'services:\n  app:\n    image: busybox\n';

function refusal(run: () => void): string {
  try {
    run();
  } catch (error) {
    expect((error as Error).name).toBe('InputError');
    return (error as Error).message;
  }
  throw new Error('not refused');
}

describe('engine names of a stack', () => {
  test('a stack name with a dot, a space or a leading _ is refused: Swarm takes none of them for a network', () => {
    for (const name of ['my.stack', 'my stack', '_stack', 'stäck']) {
      expect(refusal(() => checkStackNames(name, parse(STACK)))).toContain(`"${name}" is not a valid stack name`);
    }
  });

  test('upper case, digits, - and _ are names Swarm takes', () => {
    for (const name of ['MyStack', 'shop-2', 'a_b', '9']) expect(() => checkStackNames(name, parse(STACK))).not.toThrow();
  });

  test('a service or network name past 63 characters is refused, naming it; secrets and configs past 64', () => {
    const stack = 's'.repeat(55);
    expect(refusal(() => checkStackNames(stack, parse('services:\n  applicationx:\n    image: busybox\n')))).toBe(
      `stack "${stack}": service "applicationx" would be named "${stack}_applicationx" in the engine (68 characters, Swarm takes 63 at most)`,
    );
    const long = 's'.repeat(56);
    expect(refusal(() => checkStackNames(long, parse(STACK)))).toContain(`the default network would be named "${long}_default"`);
    const withNetwork = 'services:\n  a:\n    image: busybox\n    networks: [backend-network]\nnetworks:\n  backend-network: {}\n';
    expect(refusal(() => checkStackNames('s'.repeat(48), parse(withNetwork)))).toContain('network "backend-network" would be named');
    const secret = `services:\n  a:\n    image: busybox\n    networks: [n]\nnetworks:\n  n: {}\nsecrets:\n  ${'k'.repeat(40)}:\n    file: ./x\n`;
    expect(refusal(() => checkStackNames('s'.repeat(30), parse(secret)))).toContain(`secret "${'k'.repeat(40)}"`);
  });

  test('names of their own (name:, external) are not the stack\'s, and 63 characters pass', () => {
    const own = 'services:\n  a:\n    image: busybox\n    networks: [n]\nnetworks:\n  n:\n    external: true\n    name: outside\n';
    expect(() => checkStackNames('s'.repeat(60), parse(own))).not.toThrow();
    expect(() => checkStackNames('s'.repeat(55), parse(STACK))).not.toThrow();
  });
});

describe('docker-args', () => {
  test('options docker stack deploy takes pass', () => {
    expect(() => checkDockerArgs(['--with-registry-auth', '--prune', '--resolve-image', 'never', '--resolve-image=always', '-q'])).not.toThrow();
  });

  test('a compose file of their own is refused: it would be deployed unchecked', () => {
    for (const args of [['-c', 'other.yml'], ['--compose-file', 'other.yml'], ['--compose-file=other.yml'], ['-cother.yml']]) {
      expect(refusal(() => checkDockerArgs(args))).toMatch(/would add a compose file that is neither rendered nor checked/);
    }
  });

  test('options docker stack deploy does not take are refused before the engine is asked, as docker would refuse them after', () => {
    expect(refusal(() => checkDockerArgs(['--prune', '--bogus']))).toBe(
      'docker-args: --bogus is not an option of docker stack deploy (it takes --prune, --quiet, --resolve-image, --with-registry-auth, --orchestrator)',
    );
    expect(refusal(() => checkDockerArgs(['--prunes=1']))).toContain('--prunes is not an option of docker stack deploy');
    expect(refusal(() => checkDockerArgs(['-x']))).toContain('-x is not an option of docker stack deploy');
    expect(refusal(() => checkDockerArgs(['-qx']))).toContain('-x is not an option of docker stack deploy');
    // docker's own options choose the engine: they go before the stack name, where deploy reads them.
    for (const args of [['-H', 'unix:///other.sock'], ['--host=tcp://prod:2376'], ['--context', 'prod'], ['--tlsverify'], ['-D']]) {
      expect(refusal(() => checkDockerArgs(args))).toMatch(/^docker-args: -\S+ is docker's own option, which docker stack deploy does not take/);
    }
    expect(refusal(() => checkDockerArgs(['--', '--prune']))).toContain('a second -- would end docker\'s options');
    expect(refusal(() => checkDockerArgs(['--prune=maybe']))).toBe('docker-args: --prune "maybe" is not true or false');
    expect(refusal(() => checkDockerArgs(['--orchestrator', 'kubernetes']))).toContain('would deploy elsewhere than the Swarm the preflight checked');
  });

  test('docker\'s help is refused: docker would print it and deploy nothing, and deploy would say it deployed', () => {
    for (const args of [['--help'], ['-h'], ['-qh'], ['--help=true']]) expect(refusal(() => checkDockerArgs(args))).toMatch(/^docker-args: -+h(elp)? would make docker print its help and deploy nothing$/);
  });

  test('read as docker reads them: clusters, attached values, switches with a value; --prune is reported', () => {
    expect(checkDockerArgs(['-q', '--orchestrator=swarm'])).toEqual({});
    expect(checkDockerArgs(['--prune'])).toEqual({ prune: true });
    expect(checkDockerArgs(['--prune=false'])).toEqual({ prune: false });
    expect(checkDockerArgs(['--prune=TRUE', '-q=1'])).toEqual({ prune: true });
    expect(refusal(() => checkDockerArgs(['-qcother.yml']))).toMatch(/-c would add a compose file/);
    expect(refusal(() => checkDockerArgs(['-qd']))).toContain('-d is deploy\'s own choice');
  });

  test('a word that is no option (a second stack name) and docker\'s own wait are refused', () => {
    expect(refusal(() => checkDockerArgs(['other']))).toContain('"other" is not an option');
    expect(refusal(() => checkDockerArgs(['--detach=false']))).toContain('--detach is deploy\'s own choice');
    expect(refusal(() => checkDockerArgs(['-d']))).toContain('-d is deploy\'s own choice');
  });
});

describe('a name Swarm would refuse is shown where it is written', () => {
  test('the service, network, secret or config key, with a hint for what is wrong with it', () => {
    const model = parse('services:\n  web.app:\n    image: busybox\nnetworks:\n  back end: {}\n') as Record<string, unknown>;
    const asked: (string | number)[][] = [];
    const locate = (path: (string | number)[]) => {
      asked.push(path);
      return { file: 'stack.yml', line: 2, col: 3 };
    };
    let refused: { message: string; location?: unknown; hint?: string } | undefined;
    try {
      checkStackNames('shop', model, locate);
    } catch (error) {
      refused = error as typeof refused;
    }
    expect(refused?.message).toBe('stack "shop": service "web.app" would be named "shop_web.app" in the engine (Swarm takes letters and digits separated by - or _ only) (and 1 more: shop_back end)');
    expect(refused?.location).toEqual({ file: 'stack.yml', line: 2, col: 3 });
    expect(asked).toEqual([['services', 'web.app']]);
    expect(refused?.hint).toBe('rename it with letters, digits, - and _ only (a dot or a space is not taken)');
    // Too long: the hint is about length.
    try {
      checkStackNames('s'.repeat(60), parse('services:\n  app:\n    image: busybox\n') as Record<string, unknown>, locate);
    } catch (error) {
      expect((error as { hint?: string }).hint).toBe('choose a shorter stack name, or shorter names in the file');
    }
    expect(asked.at(-1)).toEqual(['services', 'app']);
  });
});

describe('names given with name:, and secret and config names', () => {
  const refused = (text: string, stack = 'shop') => {
    const asked: { path: (string | number)[]; prefer?: string }[] = [];
    try {
      checkStackNames(stack, parse(text) as Record<string, unknown>, (path, prefer) => (asked.push({ path, prefer }), { file: 'stack.yml', line: 1, col: 1 }));
    } catch (error) {
      return { message: (error as Error).message, hint: (error as { hint?: string }).hint, asked };
    }
    return undefined;
  };
  const service = 'services:\n  app:\n    image: busybox\n';

  test('a network, secret or config name: Swarm refuses is refused at the name, with the rule it breaks', () => {
    expect(refused(`${service}networks:\n  back:\n    name: back end\n`)).toEqual({
      message: 'stack "shop": network "back" would be named "back end" in the engine (Swarm takes letters and digits separated by - or _ only)',
      hint: 'rename it with letters, digits, - and _ only (a dot or a space is not taken)',
      asked: [{ path: ['networks', 'back', 'name'], prefer: 'value' }],
    });
    expect(refused(`${service}secrets:\n  token:\n    file: ./t\n    name: db password\n`)).toMatchObject({
      message: 'stack "shop": secret "token" would be named "db password" in the engine (Swarm takes letters, digits, -, _ and ., starting and ending with a letter or digit)',
      asked: [{ path: ['secrets', 'token', 'name'], prefer: 'value' }],
    });
    expect(refused(`${service}configs:\n  conf:\n    file: ./c\n    name: ${'c'.repeat(65)}\n`)?.message).toContain('(65 characters, Swarm takes 64 at most)');
    expect(refused(`${service}configs:\n  conf:\n    file: ./c\n    name: ${'c'.repeat(65)}\n`)?.hint).toBe('choose a shorter name:');
  });

  test('a secret or config key that makes a name Swarm refuses (ending in _ or .) is refused at the key', () => {
    expect(refused(`${service}secrets:\n  token_:\n    file: ./t\n`)).toMatchObject({
      message: 'stack "shop": secret "token_" would be named "shop_token_" in the engine (Swarm takes letters, digits, -, _ and ., starting and ending with a letter or digit)',
      asked: [{ path: ['secrets', 'token_'], prefer: 'key' }],
    });
    expect(refused(`${service}configs:\n  app.conf.:\n    file: ./c\n`)?.message).toContain('"shop_app.conf."');
  });

  test('names Swarm takes pass; external ones are not created, so not judged', () => {
    const fine = `${service}networks:\n  back:\n    name: back-end_1\n  ext:\n    external: true\n    name: some.thing\nsecrets:\n  a.b:\n    file: ./t\n  c:\n    file: ./t\n    name: db.password-1\n  old:\n    external: true\n    name: "x y"\nconfigs:\n  app.conf:\n    file: ./c\n`;
    expect(refused(fine)).toBeUndefined();
  });
});

describe('docker-args docker would refuse when it runs', () => {
  test('an option missing its value (docker would take the stack name for it), or a --resolve-image mode it does not know', () => {
    expect(refusal(() => checkDockerArgs(['--prune', '--resolve-image']))).toBe('docker-args: --resolve-image needs a value (always, changed or never)');
    expect(refusal(() => checkDockerArgs(['--resolve-image', 'sometimes']))).toBe('docker-args: --resolve-image "sometimes" is not always, changed or never');
    expect(refusal(() => checkDockerArgs(['--resolve-image=']))).toBe('docker-args: --resolve-image "" is not always, changed or never');
    expect(refusal(() => checkDockerArgs(['--orchestrator']))).toBe('docker-args: --orchestrator needs a value');
  });
});
