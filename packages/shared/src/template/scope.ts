/**
 * The variables in scope, innermost last. A block ends by truncating the scope to the mark
 * taken when it began. Lookups go through a stack per name, so they take constant time however
 * many variables a template declares (Go scans the whole list, which is quadratic).
 */
export class Scope<T> {
  private readonly order: string[] = [];
  private readonly byName = new Map<string, T[]>();

  get mark(): number {
    return this.order.length;
  }

  declare(name: string, value: T): void {
    this.order.push(name);
    const stack = this.byName.get(name);
    if (stack) stack.push(value);
    else this.byName.set(name, [value]);
  }

  has(name: string): boolean {
    return this.byName.has(name);
  }

  /** The innermost variable of that name. */
  lookup(name: string): T | undefined {
    return this.byName.get(name)?.at(-1);
  }

  truncate(mark: number): void {
    while (this.order.length > mark) {
      const name = this.order.pop() ?? '';
      const stack = this.byName.get(name);
      stack?.pop();
      if (stack?.length === 0) this.byName.delete(name);
    }
  }
}
