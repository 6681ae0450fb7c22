/** The driver catalog as text: a listing, or one driver with its options. */
import type { DriverSpec, OptionSpec, OptionType } from '../policies/catalog/types.js';
import type { Style } from './findings.js';
import { printableLine } from './printable.js';

/** The entry with each of its strings escaped for the terminal: a policy describes its own drivers. */
function printableEntry<T>(value: T): T {
  if (typeof value === 'string') return printableLine(value) as T;
  if (Array.isArray(value)) return value.map(printableEntry) as T;
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, printableEntry(inner)])) as T;
  return value;
}

function attachText(driver: DriverSpec): string {
  if (!driver.attachRules?.length) return driver.attach;
  const rules = driver.attachRules.map((rule) => {
    const when = rule.absent ? `no ${rule.option}` : `${rule.option}${rule.values ? '=' + rule.values.join('|') : ''}`;
    return `${rule.attach} when ${when}`;
  });
  return `${rules.join('; ')}; else ${driver.attach}`;
}

export function typeText(type: OptionType): string {
  switch (type.kind) {
    case 'enum':
      return type.values.join('|');
    case 'int':
      return `int${type.min !== undefined || type.max !== undefined ? ` ${type.min ?? ''}..${type.max ?? ''}` : ''}`;
    case 'size': {
      const f = type.format;
      const shape = f.style === 'int' ? `whole ${f.unit}, no unit` : `number + "${f.suffix ?? ''}"`;
      return `size (${shape}${type.min ? `, min ${type.min}` : ''})`;
    }
    case 'bool':
      return type.values ? type.values.join('|') : 'true|false';
    case 'mount-options':
      return 'mount options (a,b=c,...)';
    default:
      return type.pattern ? `string ${type.pattern}` : 'string';
  }
}

export function driversTable(drivers: readonly DriverSpec[], style: Style): string {
  const rows = drivers.map(printableEntry).map((d) => [d.name, d.scope, d.attach + (d.attachRules?.length ? '*' : ''), d.zoneBound ? 'zone' : '', d.status, d.description]);
  const header = ['DRIVER', 'SCOPE', 'ATTACH', 'ZONE', 'STATUS', 'DESCRIPTION'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]))).join('  ').trimEnd();
  const footnote = style.dim('* the default; options change it (compose-voldriver drivers NAME shows how)');
  return [style.bold(line(header)), ...rows.map(line), '', footnote].join('\n') + '\n';
}

function optionLine(option: OptionSpec): string {
  const flags = [option.required && 'required', option.secret && 'secret', option.aliases?.length && `aliases: ${option.aliases.join(', ')}`]
    .filter(Boolean)
    .join('; ');
  return `  ${option.name.padEnd(18)} ${typeText(option.type).padEnd(36)} ${[option.description, flags && `(${flags})`].filter(Boolean).join(' ')}`.trimEnd();
}

export function driverDetails(spec: DriverSpec, style: Style): string {
  const driver = printableEntry(spec);
  const out = [
    `${style.bold(driver.name)}${driver.aliases?.length ? style.dim(`  also: ${driver.aliases.join(', ')}`) : ''}`,
    driver.description,
    '',
    `  status      ${driver.status}${driver.lastRelease ? ` (last release ${driver.lastRelease})` : ''}`,
    `  scope       ${driver.scope}`,
    `  attach      ${attachText(driver)}`,
    `  zone-bound  ${driver.zoneBound ? 'yes: pin services to the volume\'s zone' : 'no'}`,
    `  keys        ${driver.caseInsensitiveKeys ? 'case-insensitive' : 'case-sensitive'}; unknown options are ${driver.unknownOptions === 'reject' ? 'rejected' : 'silently ignored'}`,
  ];
  if (driver.minSize) out.push(`  min size    ${driver.minSize}`);
  out.push('', style.bold('Options'));
  if (!driver.options) out.push('  (not described)');
  else if (driver.options.length === 0) out.push('  (none)');
  for (const option of driver.options ?? []) out.push(optionLine(option));
  const refused = (driver.options ?? []).flatMap((option) => (option.rejected ?? []).map((rule) => ({ option, rule })));
  if (refused.length) {
    out.push('', style.bold('Values refused (errors; other values the catalog does not list are warnings)'));
    for (const { option, rule } of refused) {
      const when = rule.when ? ` (when ${rule.when.option} is ${rule.when.values.join('|')})` : '';
      const which = rule.allowed ? `any value but ${rule.allowed.join('|')}` : rule.reason;
      out.push(`  ${option.name}${when}: ${which}; refused by ${rule.by}. Write ${rule.instead}`);
    }
  }
  if (driver.nameRule) out.push('', style.bold('Names'), `  ${driver.nameRule.message}`);
  if (driver.pluginSettings?.length) {
    out.push('', style.bold('Plugin settings, not volume options'));
    for (const trap of driver.pluginSettings) out.push(`  ${trap.option} -> ${trap.setting}: ${trap.message}`);
  }
  if (driver.notes?.length) out.push('', style.bold('Notes'), ...driver.notes.map((note) => `  - ${note}`));
  return out.join('\n') + '\n';
}
