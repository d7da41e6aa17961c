/**
 * A partial stub of an interface: what the test provides is used, and any other member throws "<Name>.<member> is not defined in
 * this test" when called, so a test cannot silently depend on something it did not set up. `then` reads as undefined (the stub is
 * not a promise). `onUse` sees every member the code under test asks for.
 */
export function stub<T extends object>(name: string, provided: Partial<T>, onUse?: (member: string) => void): T {
  return new Proxy(provided as T, {
    get(target, property, receiver) {
      if (typeof property === 'symbol' || property === 'then') return Reflect.get(target, property, receiver) as unknown;
      onUse?.(property);
      if (property in target) return Reflect.get(target, property, receiver) as unknown;
      return () => {
        throw new Error(`${name}.${property} is not defined in this test`);
      };
    },
  });
}
