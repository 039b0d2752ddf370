/**
 * The messages of the products screens, in the five languages. `en` is the source of the keys:
 * each other language must have exactly its keys (`tsc` fails otherwise). Keys start with
 * "products.".
 */
const en = {} as const;

type Keys = { readonly [key in keyof typeof en]: string };

export const products: { readonly en: typeof en; readonly nl: Keys; readonly de: Keys; readonly da: Keys; readonly lv: Keys } = {
  en,
  nl: {},
  de: {},
  da: {},
  lv: {},
};
