interface Node<K, V> {
  key: K;
  value: V;
  newer: Node<K, V> | undefined;
  older: Node<K, V> | undefined;
}

/**
 * A Map that remembers use order in an intrusive doubly linked list: `get`, `set`, `delete` and
 * evicting the least recently used entry are all O(1), with no re-hashing on a hit.
 */
export class LruMap<K, V> {
  readonly #map = new Map<K, Node<K, V>>();
  #newest: Node<K, V> | undefined;
  #oldest: Node<K, V> | undefined;

  get size(): number {
    return this.#map.size;
  }

  /** The value, marked as most recently used. */
  get(key: K): V | undefined {
    const node = this.#map.get(key);
    if (node === undefined) return undefined;
    if (node !== this.#newest) {
      this.#unlink(node);
      this.#pushNewest(node);
    }
    return node.value;
  }

  /** The value, leaving use order alone. */
  peek(key: K): V | undefined {
    return this.#map.get(key)?.value;
  }

  set(key: K, value: V): void {
    const node = this.#map.get(key);
    if (node !== undefined) {
      node.value = value;
      if (node !== this.#newest) {
        this.#unlink(node);
        this.#pushNewest(node);
      }
      return;
    }
    const created: Node<K, V> = { key, value, newer: undefined, older: undefined };
    this.#map.set(key, created);
    this.#pushNewest(created);
  }

  delete(key: K): boolean {
    const node = this.#map.get(key);
    if (node === undefined) return false;
    this.#map.delete(key);
    this.#unlink(node);
    return true;
  }

  /** The least recently used entry, or undefined when empty. */
  oldest(): [K, V] | undefined {
    return this.#oldest === undefined ? undefined : [this.#oldest.key, this.#oldest.value];
  }

  clear(): void {
    this.#map.clear();
    this.#newest = this.#oldest = undefined;
  }

  /** Entries from least to most recently used. Safe against deleting the current entry. */
  *entries(): IterableIterator<[K, V]> {
    let node = this.#oldest;
    while (node !== undefined) {
      const next = node.newer;
      yield [node.key, node.value];
      node = next;
    }
  }

  #unlink(node: Node<K, V>): void {
    if (node.newer !== undefined) node.newer.older = node.older;
    else this.#newest = node.older;
    if (node.older !== undefined) node.older.newer = node.newer;
    else this.#oldest = node.newer;
    node.newer = node.older = undefined;
  }

  #pushNewest(node: Node<K, V>): void {
    node.older = this.#newest;
    node.newer = undefined;
    if (this.#newest !== undefined) this.#newest.newer = node;
    this.#newest = node;
    if (this.#oldest === undefined) this.#oldest = node;
  }
}
