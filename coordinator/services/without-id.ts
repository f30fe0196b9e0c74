/** A stored object without its id, ready to be merged with a patch and re-validated as input. */
export function withoutId<T extends { id: number }>(value: T): Omit<T, 'id'> {
  const copy: Partial<T> = { ...value };
  delete copy.id;
  return copy as Omit<T, 'id'>;
}
