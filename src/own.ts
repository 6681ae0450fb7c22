/**
 * Lookups keyed by text from the user (class, environment, parameter, service and variable names). A plain
 * object inherits "constructor", "toString", "__proto__" and the rest from Object.prototype; only its own
 * properties are names the user wrote.
 */
export function own<T>(record: Readonly<Record<string, T>> | null | undefined, key: string): T | undefined {
  return record !== null && record !== undefined && Object.prototype.hasOwnProperty.call(record, key) ? record[key] : undefined;
}

export function hasOwn(record: object | null | undefined, key: string): boolean {
  return record !== null && record !== undefined && Object.prototype.hasOwnProperty.call(record, key);
}

/** An empty record without a prototype: assigning any key, "__proto__" included, makes an own property. */
export function emptyRecord<T>(): Record<string, T> {
  return Object.create(null) as Record<string, T>;
}

/** Sets `key` as an own property; plain assignment would take "__proto__" as the object's prototype. */
export function setOwn<T>(record: Record<string, T>, key: string, value: NoInfer<T>): void {
  if (key === '__proto__') Object.defineProperty(record, key, { value, enumerable: true, writable: true, configurable: true });
  else record[key] = value;
}
