import { describe, expect, it } from "vitest";

import { en } from "./en";
import { browserLanguage, DICTIONARIES, LANGUAGES, languageOf, translate } from "./languages";

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((match) => match[1]).sort();

describe("the dictionaries", () => {
  const keys = Object.keys(en).sort();

  it.each(LANGUAGES)("%s has exactly the English keys", (language) => {
    expect(Object.keys(DICTIONARIES[language]).sort()).toEqual(keys);
  });

  it.each(LANGUAGES)("%s has a text for every key, with the English placeholders", (language) => {
    for (const key of keys) {
      const text = DICTIONARIES[language][key as keyof typeof en];
      expect(text.trim(), `${language} ${key}`).not.toBe("");
      expect(placeholders(text), `${language} ${key}`).toEqual(placeholders(en[key as keyof typeof en]));
    }
  });

  it("translates, filling in the placeholders", () => {
    expect(translate("nl", "resetPassword.sent", { email: "a@b.nl" })).toContain("a@b.nl");
    expect(translate("de", "login.title")).toBe("Anmelden");
  });
});

describe("the language of a visitor", () => {
  it("is the first of the browser's languages that the site has", () => {
    expect(browserLanguage(["fr-FR", "nl-BE", "en"])).toBe("nl");
  });

  it("is English when the site has none of them", () => {
    expect(browserLanguage(["fr", "es"])).toBe("en");
  });

  it("reads language tags of any case and separator", () => {
    expect(languageOf("LV_lv")).toBe("lv");
    expect(languageOf("pt")).toBeNull();
  });
});
