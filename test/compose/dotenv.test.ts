import { describe, expect, it } from 'vitest';
import { parseDotEnv, withEnvFiles } from '../../src/compose/dotenv.js';
import { InputError } from '../../src/findings.js';

describe('parseDotEnv', () => {
  it('reads the forms Compose reads', () => {
    const text = [
      '# comment',
      '',
      '   # indented comment',
      'PLAIN=value',
      'export EXPORTED=yes',
      'SPACED = around the equals  ',
      'YAML_STYLE: colon',
      'INLINE=value # a comment',
      'HASH=a#b',
      "SINGLE='${PLAIN} \\n stays'",
      'DOUBLE="a\\tb\\nc \\"q\\" \\\\ \\$PLAIN"',
      'OCTAL="\\0101"',
      'EXPANDED=${PLAIN}-$PLAIN',
      'DOUBLE_EXPANDED="<${PLAIN}>"',
      'DEFAULTED=${NOPE:-dflt}',
      'EMPTY=',
      'MULTI="one',
      'two"',
      "QUOTED_COMMENT='x' # trailing",
      'dotted.name-1=ok',
    ].join('\n');
    expect(parseDotEnv(text, '.env')).toEqual({
      PLAIN: 'value',
      EXPORTED: 'yes',
      SPACED: 'around the equals',
      YAML_STYLE: 'colon',
      INLINE: 'value',
      HASH: 'a#b',
      SINGLE: '${PLAIN} \\n stays',
      DOUBLE: 'a\tb\nc "q" \\ $PLAIN',
      OCTAL: 'A',
      EXPANDED: 'value-value',
      DOUBLE_EXPANDED: '<value>',
      DEFAULTED: 'dflt',
      EMPTY: '',
      MULTI: 'one\ntwo',
      QUOTED_COMMENT: 'x',
      'dotted.name-1': 'ok',
    });
  });

  it('takes a bare name from the environment, or leaves it unset', () => {
    expect(parseDotEnv('FROM_ENV\nNOT_SET\n', '.env', (n) => (n === 'FROM_ENV' ? 'e' : undefined))).toEqual({ FROM_ENV: 'e' });
  });

  it('lets the environment outrank the file, and the file outrank earlier files', () => {
    const values = parseDotEnv('A=file\nB=${A}\nC=${D}\n', '.env', (n) => (n === 'A' ? 'env' : undefined), (n) => (n === 'D' ? 'earlier' : undefined));
    expect(values).toEqual({ A: 'file', B: 'env', C: 'earlier' });
  });

  it('handles CRLF line ends', () => {
    expect(parseDotEnv('A=1\r\nB="2"\r\n', '.env')).toEqual({ A: '1', B: '2' });
  });

  it.each([
    ['BAD KEY=1', 1, 'unexpected space in variable name "BAD KEY"'],
    ['OK=1\nB@D=2', 2, 'unexpected character "@"'],
    ['OK=1\n=2', 2, 'a variable name is missing'],
    ['A="never closed\nB=2', 1, 'double-quoted value of A is never closed'],
    ["A='x' y", 1, 'unexpected text after the quoted value of A'],
    ['A=${B:?B is needed}', 1, 'required variable B is missing a value: B is needed'],
  ])('%j fails at line %i', (text, line, message) => {
    try {
      parseDotEnv(text, 'config/app.env');
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(InputError);
      expect((error as InputError).message).toContain(message);
      expect((error as InputError).location).toMatchObject({ file: 'config/app.env', line });
    }
  });
});

describe('withEnvFiles', () => {
  const files: Record<string, string> = {
    'a.env': 'SIZE=10\nNAME=a\nONLY_A=1\n',
    'b.env': 'SIZE=100\nOPTS=size=${SIZE}m,name=${NAME}\n',
  };
  const read = (file: string) => files[file];

  it('lets a later file win, and the environment win over all', () => {
    expect(withEnvFiles({ NAME: 'env', UNSET: undefined }, ['a.env', 'b.env'], read)).toEqual({
      SIZE: '100',
      NAME: 'env',
      ONLY_A: '1',
      OPTS: 'size=100m,name=env',
    });
  });

  it('is the environment alone without files', () => {
    expect(withEnvFiles({ A: '1' }, [], read)).toEqual({ A: '1' });
  });
});
