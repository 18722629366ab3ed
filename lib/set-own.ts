// Sets a key of a plain object as its own property, whatever the key: a
// column header or saved format may be called "__proto__", which `obj[key] =`
// would take as the prototype instead of a value.
export function setOwn<T>(obj: Record<string, T>, key: string, value: T): void {
  Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
}
