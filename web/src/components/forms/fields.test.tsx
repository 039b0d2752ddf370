// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen } from "@testing-library/react";
import { useState, type ReactElement } from "react";
import { afterEach, describe, expect, it, vi } from "vitest";

import { I18nProvider } from "../../i18n/I18nProvider";
import { describedBy } from "../../test/aria";
import { TextField } from "../TextField";
import { CheckboxField, ChoiceGroup, FieldError, FileField, SelectField, TextAreaField } from "./fields";

afterEach(cleanup);

const inEnglish = (element: ReactElement) => render(<I18nProvider language="en">{element}</I18nProvider>);

describe("the shared form fields", () => {
  it("tie the hint and the error to the control, and mark it invalid and required", () => {
    inEnglish(
      <>
        <TextField id="name" label="Name" value="" onChange={() => {}} hint="As on the invoice." error="Fill in this field." required />
        <SelectField
          id="country"
          label="Country"
          value=""
          onChange={() => {}}
          options={[{ value: "NL", label: "Netherlands" }]}
          emptyLabel="Choose a country"
          hint="Where the company is."
          error="Choose a country."
          required
        />
        <TextAreaField id="reason" label="Reason" value="" onChange={() => {}} error="Give a reason." required />
        <FileField id="file" label="File" accept=".pdf" onChange={() => {}} hint="A PDF." error="Choose a file." required />
        <CheckboxField id="terms" label="I agree" checked={false} onChange={() => {}} error="Tick the box." required />
      </>,
    );

    const expected: Array<[string, string]> = [
      ["Name", "As on the invoice. Error: Fill in this field."],
      ["Country", "Where the company is. Error: Choose a country."],
      ["Reason", "Error: Give a reason."],
      ["File", "A PDF. Error: Choose a file."],
      ["I agree", "Error: Tick the box."],
    ];
    for (const [label, text] of expected) {
      const control = screen.getByLabelText(label);
      expect(describedBy(control)).toBe(text);
      expect(control.getAttribute("aria-invalid")).toBe("true");
      expect(control.getAttribute("aria-required")).toBe("true");
      expect(control.closest(".field")?.classList.contains("field--invalid")).toBe(true);
    }
  });

  it("leave out aria-describedby, aria-invalid and aria-required when there is nothing to say", () => {
    inEnglish(
      <SelectField id="status" label="Status" value="A" onChange={() => {}} options={[{ value: "A", label: "Open" }]} />,
    );
    const select = screen.getByLabelText("Status");
    expect(select.hasAttribute("aria-describedby")).toBe(false);
    expect(select.hasAttribute("aria-invalid")).toBe(false);
    expect(select.hasAttribute("aria-required")).toBe(false);
    expect(document.querySelector(".field__error")).toBeNull();
    expect(screen.getAllByRole("option")).toHaveLength(1);
  });

  it("answer the value, the ticked box and the chosen file", () => {
    const changed = vi.fn();
    function Form() {
      const [text, setText] = useState("");
      return (
        <>
          <TextAreaField id="note" label="Note" value={text} onChange={setText} />
          <output>{text}</output>
          <CheckboxField id="terms" label="I agree" checked={false} onChange={(checked) => changed("terms", checked)} />
          <FileField id="file" label="File" accept=".csv" onChange={(file) => changed("file", file?.name)} />
        </>
      );
    }
    inEnglish(<Form />);

    fireEvent.change(screen.getByLabelText("Note"), { target: { value: "Checked by phone" } });
    expect(screen.getByRole("status").textContent).toBe("Checked by phone");
    fireEvent.click(screen.getByLabelText("I agree"));
    expect(changed).toHaveBeenCalledWith("terms", true);
    const file = new File(["a;b"], "members.csv", { type: "text/csv" });
    fireEvent.change(screen.getByLabelText("File"), { target: { files: [file] } });
    expect(changed).toHaveBeenCalledWith("file", "members.csv");
  });

  it("group radio buttons under a legend; the first one carries the group's id", () => {
    const chose = vi.fn();
    inEnglish(
      <ChoiceGroup
        id="vat"
        legend="VAT status"
        value=""
        onChange={chose}
        choices={[
          { value: "REGISTERED", label: "Registered", description: "With a VAT number." },
          { value: "EXEMPT", label: "Exempt" },
        ]}
        error="Choose one."
      />,
    );
    expect(screen.getByRole("group", { name: "VAT status" })).toBeTruthy();
    const first = screen.getByRole("radio", { name: /Registered/ });
    expect(first.id).toBe("vat");
    expect(describedBy(first)).toBe("With a VAT number. Error: Choose one.");
    const second = screen.getByRole("radio", { name: "Exempt" });
    expect(second.id).toBe("vat-exempt");
    fireEvent.click(second);
    expect(chose).toHaveBeenCalledWith("EXEMPT");
  });

  it("say an error with a hidden prefix, under the field's id, in the page's language", () => {
    inEnglish(<FieldError id="tier" error="Choose a tier." />);
    const error = document.getElementById("tier-error");
    expect(error?.textContent).toBe("Error: Choose a tier.");
    expect(error?.querySelector(".visually-hidden")?.textContent).toBe("Error: ");
    cleanup();
    inEnglish(<FieldError id="tier" error={undefined} />);
    expect(document.getElementById("tier-error")).toBeNull();
  });
});
