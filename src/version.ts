/** The package version, set by the build; sources run by the tests say 0.0.0-dev. */
declare const __VERSION__: string | undefined;
export const VERSION = typeof __VERSION__ === 'string' ? __VERSION__ : '0.0.0-dev';
