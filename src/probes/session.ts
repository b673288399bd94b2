// Connections a wait loop keeps between rounds (pg sessions, the gRPC channel), so a
// round costs a query instead of a handshake. One-shot `status` uses none.
type Entry = { value: unknown; close: () => Promise<void> };

export class ProbeSession {
  private readonly entries = new Map<string, Entry>();

  get<T>(key: string): T | undefined {
    return this.entries.get(key)?.value as T | undefined;
  }

  set<T>(key: string, value: T, close: (value: T) => Promise<unknown>): void {
    this.entries.set(key, { value, close: async () => void (await close(value).catch(() => undefined)) });
  }

  /** Closes and forgets one entry (after a failure: the next round starts fresh). */
  async drop(key: string): Promise<void> {
    const entry = this.entries.get(key);
    this.entries.delete(key);
    await entry?.close();
  }

  async close(): Promise<void> {
    await Promise.all([...this.entries.keys()].map((k) => this.drop(k)));
  }
}
