import { describe, expect, it } from "vitest";

import { initialPaged, pagedReducer } from "./pagedList";

interface Item {
  id: string;
}

const reduce = pagedReducer<Item>((item) => item.id);

describe("a paged back-office list", () => {
  it("shows the first page, then appends the next without repeating an item", () => {
    let state = reduce(initialPaged<Item>(), { type: "loaded", page: { items: [{ id: "a" }, { id: "b" }], next_cursor: "c1" }, at: 1 });
    expect(state.phase).toBe("ready");
    state = reduce(state, { type: "moreStart" });
    expect(state.loadingMore).toBe(true);
    state = reduce(state, { type: "moreLoaded", page: { items: [{ id: "b" }, { id: "c" }], next_cursor: null } });
    expect(state.items.map((item) => item.id)).toEqual(["a", "b", "c"]);
    expect(state.next).toBeNull();
    expect(state.loadingMore).toBe(false);
  });

  it("takes a decided or paid item out", () => {
    const state = reduce(
      reduce(initialPaged<Item>(), { type: "loaded", page: { items: [{ id: "a" }, { id: "b" }], next_cursor: null }, at: 1 }),
      { type: "remove", key: "a" },
    );
    expect(state.items).toEqual([{ id: "b" }]);
  });

  it("keeps what it has when a next page fails, and empties on a failed first page", () => {
    const loaded = reduce(initialPaged<Item>(), { type: "loaded", page: { items: [{ id: "a" }], next_cursor: "c1" }, at: 1 });
    const more = reduce(reduce(loaded, { type: "moreStart" }), { type: "moreFailed", failure: "error.network" });
    expect(more.items).toEqual([{ id: "a" }]);
    expect(more.moreFailure).toBe("error.network");
    const failed = reduce(reduce(loaded, { type: "start" }), { type: "failed", failure: "error.generic" });
    expect(failed).toMatchObject({ phase: "failed", items: [], failure: "error.generic" });
  });
});
