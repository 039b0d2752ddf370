// @vitest-environment happy-dom
import { act, cleanup, fireEvent, screen, waitFor, within } from "@testing-library/react";
import { useLocation } from "react-router";
import { afterEach, describe, expect, it, onTestFinished } from "vitest";

import { onAnnouncement } from "../../a11y/announcer";
import { ApiError } from "../../api/errors";
import { renderPage } from "../../test/render";
import { PagedListView } from "./ListParts";
import { useOutcome, usePagedList, useStatusFilter, type Page } from "./pagedList";

afterEach(cleanup);

interface Item {
  id: string;
}

const STATUSES = ["OPEN", "DONE"] as const;
type Status = (typeof STATUSES)[number];

/** Answers each (status, cursor) from `pages`; a function answer may throw or wait. */
type Pages = Record<string, Page<Item> | (() => Promise<Page<Item>>)>;

function listOf(ids: string[], next: string | null = null): Page<Item> {
  return { items: ids.map((id) => ({ id })), next_cursor: next };
}

/** A back-office list page in small: its filter in the address, its items as text, "Done" takes one out. */
function ListScreen({ pages, asked }: { pages: Pages; asked: string[] }) {
  const [status, setStatus] = useStatusFilter<Status>(STATUSES, "OPEN");
  const outcome = useOutcome();
  const list = usePagedList<Item>({
    fetchPage: async (cursor) => {
      const key = `${status} ${cursor ?? "first"}`;
      asked.push(key);
      const answer = pages[key];
      if (answer === undefined) throw new ApiError(500, "INTERNAL", "broken");
      return typeof answer === "function" ? answer() : answer;
    },
    keyOf: (item) => item.id,
    filter: status,
  });
  const search = useLocation().search;
  return (
    <>
      <p data-testid="address">{search}</p>
      <PagedListView
        list={list}
        outcome={outcome}
        filter={{
          id: "status",
          label: "Status",
          value: status,
          options: STATUSES.map((value) => ({ value, label: value === "OPEN" ? "Open" : "Done" })),
          onApply: setStatus,
        }}
        headingId="items-heading"
        heading={`Items: ${status}`}
        loadingText="Loading the items…"
        emptyText="No item."
        shownText={(count) => `${count} shown.`}
        refreshedText={(count) => `Read again: ${count}.`}
        renderItem={(item) => (
          <article aria-label={item.id}>
            <button
              type="button"
              onClick={() => {
                list.remove(item.id);
                outcome.tell({ tone: "success", text: `${item.id} is done.` });
              }}
            >
              Done {item.id}
            </button>
          </article>
        )}
      />
    </>
  );
}

function show(pages: Pages, url = "/items") {
  const asked: string[] = [];
  renderPage(<ListScreen pages={pages} asked={asked} />, { path: "/items", url });
  return asked;
}

function announcements() {
  const said: string[] = [];
  onTestFinished(onAnnouncement((message) => said.push(message)));
  return said;
}

const shownIds = () => screen.queryAllByRole("article").map((article) => article.getAttribute("aria-label"));

describe("a paged back-office list (usePagedList, PagedListView)", () => {
  it("reads the first page, then the next with its cursor, without repeating an item", async () => {
    const said = announcements();
    const asked = show({ "OPEN first": listOf(["a", "b"], "c1"), "OPEN c1": listOf(["b", "c"]) });

    expect(screen.getByRole("status").textContent).toBe("Loading the items…");
    await screen.findByRole("article", { name: "a" });
    expect(shownIds()).toEqual(["a", "b"]);
    expect(screen.getByText("2 shown.")).toBeTruthy();

    fireEvent.click(screen.getByRole("button", { name: "Show more" }));
    await screen.findByRole("article", { name: "c" });
    expect(shownIds()).toEqual(["a", "b", "c"]);
    expect(asked).toEqual(["OPEN first", "OPEN c1"]);
    expect(said).toContain("More shown: 2.");
    expect(screen.queryByRole("button", { name: "Show more" })).toBeNull();
  });

  it("keeps the filter in the address and reads the first page again when it changes", async () => {
    const asked = show({ "OPEN first": listOf(["a"]), "DONE first": listOf([]) }, "/items?status=UNKNOWN");
    await screen.findByRole("article", { name: "a" });
    expect(screen.getByRole("heading", { level: 2 }).textContent).toBe("Items: OPEN");

    fireEvent.change(screen.getByLabelText("Status"), { target: { value: "DONE" } });
    fireEvent.click(screen.getByRole("button", { name: "Show" }));

    expect(await screen.findByText("No item.")).toBeTruthy();
    expect(screen.getByTestId("address").textContent).toBe("?status=DONE");
    expect(screen.getByRole("heading", { level: 2 }).textContent).toBe("Items: DONE");
    expect(asked).toEqual(["OPEN first", "DONE first"]);

    fireEvent.change(screen.getByLabelText("Status"), { target: { value: "OPEN" } });
    fireEvent.click(screen.getByRole("button", { name: "Show" }));
    await screen.findByRole("article", { name: "a" });
    expect(screen.getByTestId("address").textContent).toBe("");
  });

  it("drops the answer of an older filter that comes in late", async () => {
    let answerOpen: (page: Page<Item>) => void = () => {};
    show(
      {
        "OPEN first": () => new Promise<Page<Item>>((resolve) => (answerOpen = resolve)),
        "DONE first": listOf(["d"]),
      },
      "/items",
    );
    fireEvent.change(screen.getByLabelText("Status"), { target: { value: "DONE" } });
    fireEvent.click(screen.getByRole("button", { name: "Show" }));
    await screen.findByRole("article", { name: "d" });

    await act(async () => answerOpen(listOf(["late"])));
    expect(shownIds()).toEqual(["d"]);
  });

  it("says why the list could not be read and reads it again on Try again", async () => {
    let fail = true;
    show({
      "OPEN first": async () => {
        if (fail) throw new ApiError(0, "NETWORK_ERROR", "unreachable");
        return listOf(["a"]);
      },
    });
    expect(await screen.findByText("The service cannot be reached. Check your connection and try again.")).toBeTruthy();
    expect(screen.getByRole("region", { name: "Items: OPEN" }).getAttribute("aria-busy")).toBe("false");

    fail = false;
    fireEvent.click(screen.getByRole("button", { name: "Try again" }));
    expect(await screen.findByRole("article", { name: "a" })).toBeTruthy();
  });

  it("takes a finished item out and says so; Refresh reads the list again and says how many", async () => {
    const said = announcements();
    show({ "OPEN first": listOf(["a", "b"]) });
    const card = await screen.findByRole("article", { name: "a" });

    fireEvent.click(within(card).getByRole("button", { name: "Done a" }));
    expect(shownIds()).toEqual(["b"]);
    expect(screen.getByText("a is done.")).toBeTruthy();
    expect(said).toContain("a is done.");
    await waitFor(() => expect(document.activeElement?.className).toBe("bo-outcome"));

    fireEvent.click(screen.getByRole("button", { name: "Refresh the list" }));
    expect(await screen.findByText("Read again: 2.")).toBeTruthy();
    expect(screen.queryByText("a is done.")).toBeNull();
    expect(shownIds()).toEqual(["a", "b"]);
    expect(said).toContain("Read again: 2.");
  });
});
