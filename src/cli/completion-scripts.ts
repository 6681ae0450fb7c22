/** The completion scripts for bash, zsh and fish, written from one model of the commands and their options. */

/** What an option's value completes to. */
export type Values =
  | { kind: 'none' }
  | { kind: 'files' }
  | { kind: 'words'; words: readonly string[] }
  /** A comma-separated list of these words. */
  | { kind: 'list'; words: readonly string[] }
  /** Built-in policy names and files. */
  | { kind: 'policy'; words: readonly string[] }
  /** The environments of the policy the command line names, asked of the program itself. */
  | { kind: 'environments' };

export interface OptionModel {
  short?: string;
  long?: string;
  description: string;
  takesValue: boolean;
  optionalValue: boolean;
  repeatable: boolean;
  values: Values;
}

export interface CommandModel {
  name: string;
  description: string;
  options: OptionModel[];
  /** Words its positional argument completes to. */
  arguments: string[];
}

export interface CompletionModel {
  program: string;
  commands: CommandModel[];
}

const flagsOf = (option: OptionModel) => [option.short, option.long].filter((flag): flag is string => flag !== undefined);
const fnName = (program: string) => `_${program.replace(/[^A-Za-z0-9]/g, '_')}`;
/** Words are names, codes and flags: nothing a shell would expand, but quote them in case. */
const shellWords = (words: readonly string[]) => words.map((word) => word.replace(/[^A-Za-z0-9_:./=+-]/g, '')).join(' ');

export function bashScript(model: CompletionModel): string {
  const fn = fnName(model.program);
  const commandNames = model.commands.map((command) => command.name).join(' ');
  const cases = model.commands.map((command) => {
    const valued = command.options.filter((option) => option.takesValue);
    const valueCases = valued.map((option) => {
      const pattern = flagsOf(option).join('|');
      const values = option.values;
      let body: string;
      if (values.kind === 'files') body = 'files=1';
      else if (values.kind === 'words') body = `candidates="${shellWords(values.words)}"`;
      else if (values.kind === 'list') body = `candidates="${shellWords(values.words)}"; list=1`;
      else if (values.kind === 'policy') body = `candidates="${shellWords(values.words)}"; files=1`;
      else if (values.kind === 'environments') body = `candidates="$("\${words[0]}" __complete environments -- "\${words[@]:1}" 2>/dev/null)"`;
      else body = 'return 0';
      return `          ${pattern}) ${body} ;;`;
    });
    const options = shellWords(command.options.flatMap(flagsOf));
    const fallback = command.arguments.length > 0 ? `candidates="${shellWords(command.arguments)}"` : `candidates="${options}"`;
    return [
      `      ${command.name})`,
      `        if [[ "$cur" == -* ]]; then`,
      `          candidates="${options}"`,
      '        else',
      '          case "$prev" in',
      ...valueCases.map((line) => `  ${line}`),
      `            *) ${fallback} ;;`,
      '          esac',
      '        fi',
      '        ;;',
    ].join('\n');
  });
  return `# bash completion for ${model.program}: source it, or save it as
# ~/.local/share/bash-completion/completions/${model.program}. Made by \`${model.program} completion bash\`.
${fn}() {
  local line="\${COMP_LINE:0:COMP_POINT}"
  local -a words
  read -r -a words <<< "$line"
  local cur=""
  if [[ -n "$line" && "$line" != *[[:space:]] && \${#words[@]} -gt 0 ]]; then
    cur="\${words[\${#words[@]}-1]}"
    unset "words[\${#words[@]}-1]"
  fi
  local prev="\${words[\${#words[@]}-1]}"
  local cmd="" word
  for word in "\${words[@]:1}"; do
    case "$word" in
      -*) ;;
      *) cmd="$word"; break ;;
    esac
  done
  local candidates="" files=0 list=0 prefix=""
  if [[ -z "$cmd" ]]; then
    candidates="${commandNames} -h --help -V --version"
  else
    case "$cmd" in
${cases.join('\n')}
    esac
  fi
  COMPREPLY=()
  if (( list )); then
    # One item of a comma-separated list: complete after the last comma.
    prefix="\${cur%"\${cur##*,}"}"
    cur="\${cur##*,}"
  fi
  if [[ -n "$candidates" ]]; then
    COMPREPLY=($(compgen -P "$prefix" -W "$candidates" -- "$cur"))
  fi
  if (( files )); then
    compopt -o filenames 2>/dev/null
    COMPREPLY+=($(compgen -f -- "$cur"))
  fi
  # bash splits a word at ':' (builtin:aws): give back only what follows the last ':' of the current word.
  if [[ "$cur" == *:* && "$COMP_WORDBREAKS" == *:* ]]; then
    local colon="\${cur%"\${cur##*:}"}" i
    for i in "\${!COMPREPLY[@]}"; do
      COMPREPLY[i]="\${COMPREPLY[i]#"$colon"}"
    done
  fi
  return 0
}
complete -F ${fn} ${model.program}
`;
}

/** Text inside an _arguments description: no brackets, colons or single quotes. */
const zshText = (text: string) => text.replace(/\[/g, '(').replace(/\]/g, ')').replace(/:/g, '\\:').replace(/'/g, "'\\''");

export function zshScript(model: CompletionModel): string {
  const fn = fnName(model.program);
  const spec = (option: OptionModel): string => {
    const flags = flagsOf(option);
    const exclusive = !option.repeatable && flags.length > 1 ? `'(${flags.join(' ')})'` : '';
    const names = flags.length > 1 ? `{${flags.join(',')}}` : flags[0];
    const prefix = option.repeatable ? `'*'${exclusive}` : exclusive;
    let argument = '';
    if (option.takesValue) {
      const values = option.values;
      const action =
        values.kind === 'files'
          ? '_files'
          : values.kind === 'words'
            ? `(${shellWords(values.words)})`
            : values.kind === 'list'
              ? `_values -s , ${option.long?.slice(2) ?? 'value'} ${shellWords(values.words)}`
              : values.kind === 'policy'
              ? `${fn}_policies`
              : values.kind === 'environments'
                ? `${fn}_environments`
                : ' ';
      argument = `${option.optionalValue ? '::' : ':'}value:${action}`;
    }
    return `${prefix}${names}'[${zshText(option.description)}]${argument}'`;
  };
  const cases = model.commands.map((command) => {
    const lines = command.options.map(spec);
    if (command.arguments.length > 0) lines.push(`'1:${command.name}:(${shellWords(command.arguments)})'`);
    return [`        ${command.name})`, `          _arguments -s \\`, ...lines.map((line) => `            ${line} \\`), '            && ret=0', '          ;;'].join('\n');
  });
  const policyWords = model.commands.flatMap((command) => command.options).find((option) => option.values.kind === 'policy')?.values;
  const builtins = policyWords && policyWords.kind === 'policy' ? shellWords(policyWords.words) : '';
  return `#compdef ${model.program}
# zsh completion for ${model.program}: save it as _${model.program} in a directory of $fpath.
# Made by \`${model.program} completion zsh\`.

${fn}_policies() {
  _alternative 'builtin:built-in policy:(${builtins})' 'files:policy file:_files'
}

${fn}_environments() {
  local -a environments
  environments=(\${(f)"$(\${cv_words[1]} __complete environments -- \${cv_words[2,-1]} 2>/dev/null)"})
  _describe -t environments 'environment' environments
}

${fn}() {
  local curcontext="$curcontext" state line ret=1
  local -a cv_words
  cv_words=("\${words[@]}")
  _arguments -C \\
    '(- *)'{-V,--version}'[print the version]' \\
    '(- *)'{-h,--help}'[show help]' \\
    '1: :->command' \\
    '*:: :->args' && ret=0
  case $state in
    command)
      local -a commands
      commands=(
${model.commands.map((command) => `        '${command.name}:${zshText(command.description)}'`).join('\n')}
      )
      _describe -t commands '${model.program} command' commands && ret=0
      ;;
    args)
      case $words[1] in
${cases.join('\n')}
      esac
      ;;
  esac
  return ret
}

${fn} "$@"
`;
}

/** A single-quoted fish string. */
const fishText = (text: string) => `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

export function fishScript(model: CompletionModel): string {
  const fn = `__${model.program.replace(/[^A-Za-z0-9]/g, '_')}`;
  const c = `complete -c ${model.program}`;
  const lines = [
    `# fish completion for ${model.program}: save it as ~/.config/fish/completions/${model.program}.fish.`,
    `# Made by \`${model.program} completion fish\`.`,
    `function ${fn}_environments`,
    '    set -l words (commandline -opc)',
    '    $words[1] __complete environments -- $words[2..-1] 2>/dev/null',
    'end',
    `function ${fn}_list --description 'items of a comma-separated list'`,
    '    set -l prefix (string replace -r -- \'[^,]*$\' \'\' (commandline -ct))',
    '    for word in $argv',
    "        printf '%s%s\\n' \"$prefix\" $word",
    '    end',
    'end',
    '',
    `${c} -f`,
    `${c} -n __fish_use_subcommand -s h -l help -d 'show help'`,
    `${c} -n __fish_use_subcommand -s V -l version -d 'print the version'`,
    ...model.commands.map((command) => `${c} -n __fish_use_subcommand -a ${command.name} -d ${fishText(command.description)}`),
  ];
  for (const command of model.commands) {
    const when = `-n '__fish_seen_subcommand_from ${command.name}'`;
    for (const option of command.options) {
      const flags = [option.short ? `-s ${option.short.slice(1)}` : '', option.long ? `-l ${option.long.slice(2)}` : ''].filter(Boolean).join(' ');
      let value = '';
      if (option.takesValue) {
        const values = option.values;
        if (values.kind === 'files') value = ' -r -F';
        else if (values.kind === 'words') value = ` -x -a ${fishText(values.words.join(' '))}`;
        else if (values.kind === 'list') value = ` -x -a '(${fn}_list ${shellWords(values.words)})'`;
        else if (values.kind === 'policy') value = ` -r -F -a ${fishText(values.words.join(' '))}`;
        else if (values.kind === 'environments') value = ` -x -a '(${fn}_environments)'`;
        else value = ' -x';
      }
      lines.push(`${c} ${when} ${flags}${value} -d ${fishText(option.description)}`);
    }
    if (command.arguments.length > 0) lines.push(`${c} ${when} -a ${fishText(command.arguments.join(' '))}`);
  }
  return lines.join('\n') + '\n';
}
