// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";

import { I18nProvider } from "../../i18n/I18nProvider";
import { LoadFailure } from "./LoadFailure";

afterEach(cleanup);

describe("a failed read", () => {
  it("says why and offers Try again, which reads again", () => {
    const retry = vi.fn();
    render(
      <I18nProvider language="en">
        <LoadFailure message="The service cannot be reached." onRetry={retry} />
      </I18nProvider>,
    );
    const box = screen.getByText(/The service cannot be reached\./);
    expect(box.className).toBe("form-message form-message--error");
    expect(box.textContent).toBe("The service cannot be reached. Try again");
    fireEvent.click(screen.getByRole("button", { name: "Try again" }));
    expect(retry).toHaveBeenCalledTimes(1);
  });

  it("offers no retry when there is nothing to read again", () => {
    render(
      <I18nProvider language="nl">
        <LoadFailure message="Deze factuur bestaat niet." />
      </I18nProvider>,
    );
    expect(screen.getByText(/Deze factuur bestaat niet\./)).toBeTruthy();
    expect(screen.queryByRole("button")).toBeNull();
  });
});
